package io.geocont.linalg.svd;

import io.geocont.util.SplitMix64;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Each blocked kernel gives exactly the bits of the one-at-a-time VecOps calls or scalar loop it replaces. */
class EigenKernelsTest {
    private static final SplitMix64 RNG = new SplitMix64(77);

    private static double[] random(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = RNG.nextGaussian() * Math.exp(3 * RNG.nextGaussian()); // wide exponents: rounding shows
        return a;
    }

    /** Lengths across every branch of VecOps.dot (scalar, two chains, four chains, tails) for any vector width. */
    private static final int MAX_N = 140;

    @Test void dotsAreVecOpsDotsRowByRow() {
        double[] t = EigenKernels.dotScratch();
        for (int n = 0; n <= MAX_N; n++)
            for (int count = 1; count <= EigenKernels.DOTS; count++) {
                int off = (n + count) % 4, r0 = count % 3;
                double[][] a = new double[r0 + count][];
                for (int r = 0; r < a.length; r++) a[r] = random(n + off + 2);
                double[] b = random(n + 5), out = new double[count + 2];
                EigenKernels.dots(a, r0, count, off, b, 5, n, out, 1, t);
                for (int q = 0; q < count; q++)
                    assertEquals(Double.doubleToRawLongBits(VecOps.dot(a[r0 + q], off, b, 5, n)), Double.doubleToRawLongBits(out[1 + q]),
                            "n " + n + " count " + count + " row " + q);
            }
    }

    @Test void rowDotsAreVecOpsDots() {
        for (int[] mkn : new int[][]{{1, 1, 1}, {4, 2, 32}, {5, 3, 33}, {8, 4, 40}, {9, 5, 64}, {13, 7, 70}, {16, 16, 128}, {17, 3, 129}, {7, 2, 31}, {6, 6, 16}}) {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            double[][] x = new double[m][], v = new double[k][], out = new double[k][m];
            for (int r = 0; r < m; r++) x[r] = random(n);
            for (int i = 0; i < k; i++) v[i] = random(n);
            EigenKernels.rowDots(x, m, v, k, n, out);
            for (int i = 0; i < k; i++)
                for (int r = 0; r < m; r++)
                    assertEquals(Double.doubleToRawLongBits(VecOps.dot(x[r], 0, v[i], 0, n)), Double.doubleToRawLongBits(out[i][r]),
                            m + "x" + n + ", " + k + " vectors: (" + i + ", " + r + ")");
        }
    }

    @Test void dotAxpyIsADotThenAnAxpy() {
        for (int n = 0; n <= MAX_N; n++) {
            int o = n % 5;
            double[] a = random(n + o), b = random(n + o), y = random(n + o), yRef = y.clone();
            double alpha = RNG.nextGaussian();
            double got = EigenKernels.dotAxpy(a, b, alpha, y, o, n);
            double want = VecOps.dot(a, o, b, o, n);
            VecOps.axpy(alpha, a, o, yRef, o, n);
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), "dot, n " + n);
            assertArrayEquals(yRef, y, "axpy, n " + n);  // assertArrayEquals on doubles compares bits (NaN-safe), exact here
        }
    }

    @Test void axpy2IsTwoAxpysInOrder() {
        for (int n = 0; n <= MAX_N; n++) {
            int o = n % 3;
            double[] x1 = random(n + o), x2 = random(n + o), y = random(n + o), yRef = y.clone();
            double alpha = RNG.nextGaussian(), beta = RNG.nextGaussian();
            EigenKernels.axpy2(alpha, x1, beta, x2, y, o, n);
            VecOps.axpy(alpha, x1, o, yRef, o, n);
            VecOps.axpy(beta, x2, o, yRef, o, n);
            for (int i = 0; i < y.length; i++) assertEquals(Double.doubleToRawLongBits(yRef[i]), Double.doubleToRawLongBits(y[i]), "n " + n + " at " + i);
        }
    }

    @Test void rotateAllIsTql2sRotationLoopSweepAfterSweep() {
        for (int n : new int[]{1, 2, 5, 7, 8, 9, 16, 31, 32, 33, 63, 64, 65, 128, 129}) {
            int rows = Math.max(2, Math.min(n, 12));
            double[][] z = new double[rows][], ref = new double[rows][];
            for (int i = 0; i < rows; i++) { z[i] = random(n); ref[i] = z[i].clone(); }
            // sweeps as tql2 makes them: (l, m) with l < m, rotations i = m-1 .. l stored at base + i
            int[][] lm = {{0, rows - 1}, {0, rows - 1}, {1, rows - 1}, {0, 1}, {rows / 2, rows - 1}, {rows - 2, rows - 1}};
            int sweeps = lm.length, used = 0;
            int[] ls = new int[sweeps], ms = new int[sweeps], bases = new int[sweeps];
            double[] c = new double[sweeps * rows], s = new double[sweeps * rows];
            for (int q = 0; q < sweeps; q++) {
                ls[q] = lm[q][0]; ms[q] = lm[q][1]; bases[q] = used - ls[q];
                for (int i = ls[q]; i < ms[q]; i++) { double t = RNG.nextDouble() * 2 * Math.PI; c[bases[q] + i] = Math.cos(t); s[bases[q] + i] = Math.sin(t); }
                used += ms[q] - ls[q];
            }
            for (int q = 0; q < sweeps; q++)
                for (int i = ms[q] - 1; i >= ls[q]; i--) {          // tql2's loop as JAMA writes it
                    double ci = c[bases[q] + i], si = s[bases[q] + i];
                    for (int k = 0; k < n; k++) {
                        double h = ref[i + 1][k];
                        ref[i + 1][k] = si * ref[i][k] + ci * h;
                        ref[i][k] = ci * ref[i][k] - si * h;
                    }
                }
            EigenKernels.rotateAll(z, n, sweeps, ls, ms, bases, c, s);
            for (int i = 0; i < rows; i++)
                for (int k = 0; k < n; k++)
                    assertEquals(Double.doubleToRawLongBits(ref[i][k]), Double.doubleToRawLongBits(z[i][k]), "n " + n + " at " + i + "," + k);
        }
    }

    @Test void gramUpperIsTheRowByRowRankOneSum() {
        for (int[] shape : new int[][]{{1, 1}, {3, 5}, {5, 3}, {7, 9}, {17, 33}, {40, 40}, {128, 128}, {129, 37}, {30, 70}}) {
            int m = shape[0], n = shape[1];
            double[][] x = new double[m][];
            for (int r = 0; r < m; r++) {
                x[r] = random(n);
                if (r % 3 == 1) x[r][n / 2] = 0;          // zeros: the rank-1 loop skipped them
            }
            double[][] ref = new double[n][n], z = new double[n][n];
            for (int r = 0; r < m; r++)
                for (int i = 0; i < n; i++) if (x[r][i] != 0) VecOps.axpy(x[r][i], x[r], i, ref[i], i, n - i);
            EigenKernels.gramUpper(x, m, n, z);
            for (int i = 0; i < n; i++)
                for (int j = i; j < n; j++)
                    assertEquals(Double.doubleToRawLongBits(ref[i][j]), Double.doubleToRawLongBits(z[i][j]), m + "x" + n + " at " + i + "," + j);
        }
    }
}
