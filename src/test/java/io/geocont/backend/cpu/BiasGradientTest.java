package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ReLU's (and the identity's) backward with the bias gradient, and columnSum, against a scalar
 * reference: each column summed over rows in row order in double, rounded to float once;
 * relu'(0) = 0, a NaN pre-activation gives 0. Odd widths exercise the vector loops' tails; 1 and
 * 4 threads split the columns differently. (The MLP's bits, SgdReferenceTest, rest on this order.)
 */
class BiasGradientTest {

    private static float[] values(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(10);
            x[i] = k == 0 ? 0f : k == 1 ? -0f : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        }
        return x;
    }

    @Test
    void reluBackwardWithBiasGradientMatchesTheScalarReference() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] shape : new int[][]{{1, 1}, {3, 7}, {5, 37}, {128, 128}, {300, 1000}}) {
            int rows = shape[0], cols = shape[1], n = rows * cols;
            float[] pre = values(rnd, n), dOut = values(rnd, n);
            pre[0] = Float.NaN;
            for (Activation act : new Activation[]{Activation.RELU, Activation.IDENTITY}) {
                float[] wantD = new float[n], wantB = new float[cols];
                double[] wantSum = new double[cols];
                for (int j = 0; j < cols; j++) {
                    double s = 0;
                    for (int r = 0; r < rows; r++) {
                        int i = r * cols + j;
                        wantD[i] = act == Activation.IDENTITY || pre[i] > 0f ? dOut[i] : 0f;
                        s += wantD[i];
                    }
                    wantSum[j] = s;
                    wantB[j] = (float) s;
                }
                for (int threads : new int[]{1, 4}) {
                    try (CpuBackend b = new CpuBackend(threads)) {
                        Tensor dPre = b.zeros(rows, cols), dBias = b.zeros(cols), sums = b.fromArray(values(rnd, cols), cols);
                        b.biasActBackward(b.fromArray(dOut, rows, cols), b.fromArray(pre, rows, cols), act, 0f, dPre, dBias);
                        String what = act + " " + rows + "x" + cols + " on " + threads + " threads";
                        assertArrayEquals(wantD, dPre.toArray(), what);
                        assertArrayEquals(wantB, dBias.toArray(), what);
                        float[] before = sums.toArray();
                        b.columnSum(dPre, sums, true);
                        float[] got = sums.toArray();
                        for (int j = 0; j < cols; j++) assertEquals((float) (before[j] + wantSum[j]), got[j], what + " accumulated, column " + j);
                    }
                }
            }
        }
    }

    @Test
    void inPlaceReluBackwardReadsEachGradientBeforeOverwritingIt() {
        try (CpuBackend b = new CpuBackend(1)) {
            Tensor g = b.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3), dBias = b.zeros(3);
            b.biasActBackward(g, b.fromArray(new float[]{1, -1, 0, 2, 2, -2}, 2, 3), Activation.RELU, 0f, g, dBias);
            assertArrayEquals(new float[]{1, 0, 0, 4, 5, 0}, g.toArray());
            assertArrayEquals(new float[]{5, 5, 0}, dBias.toArray());
        }
    }
}
