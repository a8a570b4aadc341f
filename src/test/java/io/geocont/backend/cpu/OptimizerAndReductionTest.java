package io.geocont.backend.cpu;

import io.geocont.backend.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class OptimizerAndReductionTest {
    private static final CpuBackend B = new CpuBackend(2);

    @AfterAll static void close() { B.close(); }

    @Test
    void sgdMomentumTwoStepsByHand() {
        Tensor p = B.fromArray(new float[]{1f, -2f}, 2), v = B.zeros(2);
        float lr = 0.1f, mom = 0.9f, wd = 0.01f, gs = 0.5f;
        // step 1: g = 0.5*[4, 2] + 0.01*[1, -2] = [2.01, 0.98]; v = g; p = [1 - 0.201, -2 - 0.098]
        B.sgdMomentumUpdate(p, B.fromArray(new float[]{4f, 2f}, 2), v, lr, mom, wd, gs);
        assertArrayEquals(new float[]{2.01f, 0.98f}, v.toArray(), 1e-6f);
        assertArrayEquals(new float[]{0.799f, -2.098f}, p.toArray(), 1e-6f);
        // step 2 with grad [-2, 0]: g = [-1 + 0.00799, 0 - 0.02098]; v = 0.9 v + g
        B.sgdMomentumUpdate(p, B.fromArray(new float[]{-2f, 0f}, 2), v, lr, mom, wd, gs);
        double v0 = 0.9 * 2.01 + (-1 + 0.00799), v1 = 0.9 * 0.98 - 0.02098;
        assertArrayEquals(new float[]{(float) v0, (float) v1}, v.toArray(), 1e-6f);
        assertArrayEquals(new float[]{(float) (0.799 - 0.1 * v0), (float) (-2.098 - 0.1 * v1)}, p.toArray(), 1e-6f);
    }

    @Test
    void adamwTwoStepsByHand() {
        // The reference uses the float32 values of the hyper-parameters (0.999f is not 0.999), in double.
        double lr = 1e-2f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.1f, gs = 2;
        double[] param = {0.5, -1.5, 0}, m = new double[3], v = new double[3];
        double[][] grads = {{0.1, -0.3, 0}, {0.2, 0.1, -1e-3}};
        Tensor p = B.fromArray(toF(param), 3), mt = B.zeros(3), vt = B.zeros(3);
        for (int step = 1; step <= 2; step++) {
            double[] g = grads[step - 1];
            for (int i = 0; i < 3; i++) {
                double gi = gs * g[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mhat = m[i] / (1 - Math.pow(b1, step)), vhat = v[i] / (1 - Math.pow(b2, step));
                param[i] -= lr * (mhat / (Math.sqrt(vhat) + eps) + wd * param[i]);
            }
            B.adamwUpdate(p, B.fromArray(toF(g), 3), mt, vt, (float) lr, (float) b1, (float) b2, (float) eps, (float) wd, step, (float) gs);
            assertArrayEquals(toF(m), mt.toArray(), 1e-7f);
            assertArrayEquals(toF(v), vt.toArray(), 1e-10f);
            assertArrayEquals(toF(param), p.toArray(), 2e-6f, "step " + step);
        }
        // First step moves each non-zero-gradient coordinate by ~lr (Adam's sign-like first step) plus decay.
        assertThrows(IllegalArgumentException.class, () -> B.adamwUpdate(p, p, mt, vt, 1, 0.9f, 0.9f, 1e-8f, 0, 0, 1));
    }

    private static float[] toF(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void reductionsAccumulateInDouble() {
        // 1e8 followed by a million ones: a float accumulator would return 1e8 exactly.
        int n = 1_000_001;
        float[] x = new float[n];
        x[0] = 1e8f;
        for (int i = 1; i < n; i++) x[i] = 1f;
        Tensor t = B.fromArray(x, n);
        assertEquals(1e8 + 1_000_000, B.sum(t), 0);
        float[] y = x.clone();
        y[0] = 1e4f; // 1e8 after squaring
        assertEquals(1e8 + 1_000_000, B.sumSquares(B.fromArray(y, n)), 0);
        Tensor ones = B.zeros(n);
        B.fill(ones, 1f);
        assertEquals(1e8 + 1_000_000, B.dot(t, ones), 0);

        Random rnd = new Random(12);
        float[] a = GradCheck.randn(rnd, 40_000, 1), b = GradCheck.randn(rnd, 40_000, 1);
        double s = 0, ss = 0, d = 0;
        for (int i = 0; i < a.length; i++) { s += a[i]; ss += (double) a[i] * a[i]; d += (double) a[i] * b[i]; }
        assertEquals(s, B.sum(B.fromArray(a, a.length)), 1e-9);
        assertEquals(ss, B.sumSquares(B.fromArray(a, a.length)), 1e-8);
        assertEquals(d, B.dot(B.fromArray(a, a.length), B.fromArray(b, b.length)), 1e-9);
    }

    @Test
    void elementwiseAndColumnSums() {
        Tensor x = B.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 3, 2), y = B.fromArray(new float[]{1, 1, 1, 1, 1, 1}, 3, 2);
        B.axpy(2f, x, y);
        assertArrayEquals(new float[]{3, 5, 7, 9, 11, 13}, y.toArray());
        B.scale(y, 0.5f);
        assertArrayEquals(new float[]{1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f}, y.toArray());
        Tensor out = B.zeros(3, 2);
        B.add(x, y, out);
        assertArrayEquals(new float[]{2.5f, 4.5f, 6.5f, 8.5f, 10.5f, 12.5f}, out.toArray());
        B.add(out, x, out); // alias
        assertArrayEquals(new float[]{3.5f, 6.5f, 9.5f, 12.5f, 15.5f, 18.5f}, out.toArray());
        Tensor cs = B.fromArray(new float[]{100, 200}, 2);
        B.columnSum(x, cs, false);
        assertArrayEquals(new float[]{9, 12}, cs.toArray());
        B.columnSum(x, cs, true);
        assertArrayEquals(new float[]{18, 24}, cs.toArray());
        Tensor copy = B.zeros(6);
        B.copy(x, copy);
        assertArrayEquals(x.toArray(), copy.toArray());
        assertThrows(IllegalArgumentException.class, () -> B.columnSum(x, B.zeros(3), false));
    }

    @Test
    void adjacentCosinesAndGradientDots() {
        float s = (float) Math.sqrt(0.5);
        Tensor vecs = B.fromArray(new float[]{1, 0, s, s, 0, -1}, 3, 2), out = B.zeros(2);
        B.adjacentAbsCos(vecs, out);
        assertArrayEquals(new float[]{s, s}, out.toArray(), 1e-7f);
        Tensor stack = B.fromArray(new float[]{1, 2, 3, -1, 0, 4, 2, 2, 2}, 3, 3), dn = B.zeros(5);
        B.adjacentDotsAndNorms(stack, dn);
        assertArrayEquals(new float[]{14, 17, 12, 11, 6}, dn.toArray());
        assertThrows(IllegalArgumentException.class, () -> B.adjacentDotsAndNorms(stack, B.zeros(4)));
    }
}
