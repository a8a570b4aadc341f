package io.geocont.backend.cpu;

import io.geocont.backend.OpContracts;
import io.geocont.backend.Tensor;
import io.geocont.linalg.Parallel;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static io.geocont.backend.cpu.CpuOps.ELEMENT_GRAIN;
import static io.geocont.backend.cpu.CpuOps.F;
import static io.geocont.backend.cpu.CpuOps.REDUCE_CHUNK;
import static io.geocont.backend.cpu.CpuOps.arr;
import static io.geocont.backend.cpu.CpuOps.columnGrain;

/**
 * The element-wise ops, reductions, optimizer steps and continuity reductions of
 * {@link CpuBackend}, as their CUDA twins in {@code kernels/elementwise.cu}. Reductions sum fixed
 * chunks in chunk order, so a result does not depend on the thread count.
 */
final class ElementwiseOps {
    private final CpuOps.Splitter splitter;

    ElementwiseOps(CpuOps.Splitter splitter) { this.splitter = splitter; }

    private void forRange(int n, int grain, Parallel.RangeBody body) { splitter.forRange(n, grain, body); }

    void axpy(float alpha, Tensor x, Tensor y) {
        float[] xv = arr("axpy", "x", x), yv = arr("axpy", "y", y);
        OpContracts.axpy("axpy", x, y);
        forRange(xv.length, ELEMENT_GRAIN, (i0, i1) -> {
            int i = i0;
            FloatVector al = FloatVector.broadcast(F, alpha);
            for (int bound = i0 + F.loopBound(i1 - i0); i < bound; i += F.length())   // same rounding as Math.fma
                al.fma(FloatVector.fromArray(F, xv, i), FloatVector.fromArray(F, yv, i)).intoArray(yv, i);
            for (; i < i1; i++) yv[i] = Math.fma(alpha, xv[i], yv[i]);
        });
    }

    void scale(Tensor x, float alpha) {
        float[] xv = arr("scale", "x", x);
        forRange(xv.length, ELEMENT_GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) xv[i] *= alpha;
        });
    }

    void add(Tensor a, Tensor b, Tensor out) {
        float[] av = arr("add", "a", a), bv = arr("add", "b", b), ov = arr("add", "out", out);
        OpContracts.add("add", a, b, out);
        forRange(av.length, ELEMENT_GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) ov[i] = av[i] + bv[i];
        });
    }

    void columnSum(Tensor x, Tensor out, boolean accumulate) {
        float[] xv = arr("columnSum", "x", x), ov = arr("columnSum", "out", out);
        OpContracts.columnSum("columnSum", x, out);
        if (!accumulate) Arrays.fill(ov, 0f);
        columnSums("columnSum", xv, x.rows(), x.cols(), ov, true);
    }

    /** out[j] (+)= sum over rows in order, accumulated in double; split by column. */
    void columnSums(String op, float[] x, int rows, int cols, float[] out, boolean accumulate) {
        forRange(cols, columnGrain(rows), (c0, c1) -> {
            double[] acc = new double[c1 - c0];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int j = c0; j < c1; j++) acc[j - c0] += x[base + j];
            }
            for (int j = c0; j < c1; j++) out[j] = (float) (accumulate ? out[j] + acc[j - c0] : acc[j - c0]);
        });
    }

    /** Reduction of f over [0, n) in fixed chunks summed in chunk order (deterministic). */
    private double reduce(int n, ChunkSum f) {
        int chunks = (n + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        double[] partial = new double[chunks];
        forRange(chunks, ELEMENT_GRAIN / REDUCE_CHUNK, (c0, c1) -> {
            for (int c = c0; c < c1; c++) partial[c] = f.sum(c * REDUCE_CHUNK, Math.min(n, (c + 1) * REDUCE_CHUNK));
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    @FunctionalInterface private interface ChunkSum { double sum(int from, int to); }

    double sumSquares(Tensor x) {
        float[] xv = arr("sumSquares", "x", x);
        return reduce(xv.length, (i0, i1) -> DoubleSums.dot(xv, i0, xv, i0, i1 - i0));
    }

    double dot(Tensor a, Tensor b) {
        float[] av = arr("dot", "a", a), bv = arr("dot", "b", b);
        OpContracts.dot("dot", a, b);
        return reduce(av.length, (i0, i1) -> DoubleSums.dot(av, i0, bv, i0, i1 - i0));
    }

    double sum(Tensor x) {
        float[] xv = arr("sum", "x", x);
        return reduce(xv.length, (i0, i1) -> DoubleSums.sum(xv, i0, i1));
    }

    void sgdMomentumUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum,
                           float weightDecay, float gradScale) {
        String op = "sgdMomentumUpdate";
        float[] pv = arr(op, "param", param), gv = arr(op, "grad", grad), vv = arr(op, "velocity", velocity);
        OpContracts.sgdMomentumUpdate(op, param, grad, velocity);
        forRange(pv.length, ELEMENT_GRAIN, (i0, i1) -> {
            int i = i0;
            // the scalar loop below, 16 lanes at a time (separate multiply and add: the same rounding)
            FloatVector gs = FloatVector.broadcast(F, gradScale), wd = FloatVector.broadcast(F, weightDecay);
            FloatVector mo = FloatVector.broadcast(F, momentum), lrv = FloatVector.broadcast(F, lr);
            for (int bound = i0 + F.loopBound(i1 - i0); i < bound; i += F.length()) {
                FloatVector p = FloatVector.fromArray(F, pv, i);
                FloatVector g = gs.mul(FloatVector.fromArray(F, gv, i)).add(wd.mul(p));
                FloatVector v = mo.mul(FloatVector.fromArray(F, vv, i)).add(g);
                v.intoArray(vv, i);
                p.sub(lrv.mul(v)).intoArray(pv, i);
            }
            for (; i < i1; i++) {
                float g = gradScale * gv[i] + weightDecay * pv[i];
                float v = momentum * vv[i] + g;
                vv[i] = v;
                pv[i] -= lr * v;
            }
        });
    }

    void adamwUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                     float eps, float weightDecay, int step, float gradScale) {
        String op = "adamwUpdate";
        float[] pv = arr(op, "param", param), gv = arr(op, "grad", grad), mv = arr(op, "m", m), vv = arr(op, "v", v);
        OpContracts.adamwUpdate(op, param, grad, m, v, step);
        float bc1 = (float) (1.0 - Math.pow(beta1, step)), bc2 = (float) (1.0 - Math.pow(beta2, step));
        forRange(pv.length, ELEMENT_GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float g = gradScale * gv[i];
                float mi = beta1 * mv[i] + (1f - beta1) * g;
                float vi = beta2 * vv[i] + (1f - beta2) * g * g;
                mv[i] = mi;
                vv[i] = vi;
                float mhat = mi / bc1, vhat = vi / bc2;
                pv[i] -= lr * (mhat / ((float) Math.sqrt(vhat) + eps) + weightDecay * pv[i]);
            }
        });
    }

    void adjacentAbsCos(Tensor vecs, Tensor out) {
        String op = "adjacentAbsCos";
        float[] x = arr(op, "vecs", vecs), ov = arr(op, "out", out);
        int l = vecs.rows(), d = vecs.cols();
        OpContracts.adjacentAbsCos(op, vecs, out);
        for (int i = 0; i + 1 < l; i++) ov[i] = (float) Math.abs(dotRange(x, i * d, x, (i + 1) * d, d));
    }

    void adjacentDotsAndNorms(Tensor stack, Tensor out) {
        String op = "adjacentDotsAndNorms";
        float[] x = arr(op, "stack", stack), ov = arr(op, "out", out);
        int l = stack.rows(), n = stack.cols();
        OpContracts.adjacentDotsAndNorms(op, stack, out);
        double[] res = new double[Math.max(0, 2 * l - 1)];
        forRange(res.length, Math.max(1, ELEMENT_GRAIN / Math.max(1, n)), (q0, q1) -> {
            for (int q = q0; q < q1; q++)
                res[q] = q < l ? dotRange(x, q * n, x, q * n, n) : dotRange(x, (q - l) * n, x, (q - l + 1) * n, n);
        });
        for (int q = 0; q < res.length; q++) ov[q] = (float) res[q];
    }

    private static double dotRange(float[] a, int offA, float[] b, int offB, int n) {
        return DoubleSums.dot(a, offA, b, offB, n);
    }
}
