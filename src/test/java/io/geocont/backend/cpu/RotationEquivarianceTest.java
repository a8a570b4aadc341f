package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * science.md E2: the radial activations satisfy phi(R h) = R phi(h) for orthogonal R; the
 * element-wise ones (ReLU, GELU, SiLU) do not.
 */
class RotationEquivarianceTest {
    private static final CpuBackend B = new CpuBackend(2);
    private static final int D = 16, ROWS = 6;

    @AfterAll static void close() { B.close(); }

    /** A random orthogonal D x D matrix: Gram-Schmidt (twice) of a Gaussian matrix, in double. */
    static double[][] randomOrthogonal(Random rnd, int d) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) q[i][j] = rnd.nextGaussian();
            for (int pass = 0; pass < 2; pass++)
                for (int p = 0; p < i; p++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) dot += q[i][j] * q[p][j];
                    for (int j = 0; j < d; j++) q[i][j] -= dot * q[p][j];
                }
            double n = 0;
            for (int j = 0; j < d; j++) n += q[i][j] * q[i][j];
            n = Math.sqrt(n);
            for (int j = 0; j < d; j++) q[i][j] /= n;
        }
        return q;
    }

    /** Each row h -> R h. */
    private static float[] rotateRows(double[][] r, float[] x) {
        float[] y = new float[x.length];
        for (int row = 0; row < ROWS; row++)
            for (int i = 0; i < D; i++) {
                double s = 0;
                for (int j = 0; j < D; j++) s += r[i][j] * x[row * D + j];
                y[row * D + i] = (float) s;
            }
        return y;
    }

    private static float[] act(Activation a, float[] h) {
        Tensor out = B.zeros(ROWS, D);
        B.biasActForward(B.fromArray(h, ROWS, D), null, a, 0.5f, null, out);
        return out.toArray();
    }

    /** max |phi(R h) - R phi(h)| over several random R, relative to max |phi(h)|. */
    private static double equivarianceError(Activation a) {
        Random rnd = new Random(42);
        double worst = 0;
        for (int trial = 0; trial < 5; trial++) {
            double[][] r = randomOrthogonal(rnd, D);
            float[] h = GradCheck.randn(rnd, ROWS * D, 1.5 / Math.sqrt(D) * (1 + trial)); // norms from ~1.5 to ~7.5
            float[] lhs = act(a, rotateRows(r, h)), rhs = rotateRows(r, act(a, h));
            double scale = 0, err = 0;
            for (int i = 0; i < lhs.length; i++) {
                scale = Math.max(scale, Math.abs(rhs[i]));
                err = Math.max(err, Math.abs(lhs[i] - rhs[i]));
            }
            worst = Math.max(worst, err / scale);
        }
        return worst;
    }

    @Test
    void orthogonalHelperIsOrthogonal() {
        double[][] q = randomOrthogonal(new Random(1), D);
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++) {
                double dot = 0;
                for (int p = 0; p < D; p++) dot += q[i][p] * q[j][p];
                assertEquals(i == j ? 1 : 0, dot, 1e-12);
            }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RADIAL_TANH", "RADIAL_RELU", "RADIAL_SIGMOID", "IDENTITY"})
    void radialActivationsAreRotationEquivariant(Activation a) {
        double err = equivarianceError(a);
        assertTrue(err < 1e-5, a + " relative equivariance error " + err);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "GELU", "SILU", "TANH"})
    void elementWiseActivationsBreakRotationalSymmetry(Activation a) {
        double err = equivarianceError(a);
        assertTrue(err > 0.05, a + " should not be rotation-equivariant, relative error only " + err);
    }
}
