package io.geocont.linalg.svd;

import io.geocont.util.SplitMix64;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Each blocked kernel gives exactly the bits of the plain scalar loop that defines it, whatever the vector width and tails. */
class EigenKernelsTest {
    private static final SplitMix64 RNG = new SplitMix64(77);

    private static double[] random(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = RNG.nextGaussian() * Math.exp(3 * RNG.nextGaussian()); // wide exponents: rounding shows
        return a;
    }

    /** Lengths across every vector branch and tail for any vector width. */
    private static final int MAX_N = 140;

    @Test void rankUpdatesAreElementwise() {
        for (int n = 0; n <= MAX_N; n++) {
            int o = n % 5;
            double[] row = random(n + o), vp = random(n + o), wp = random(n + o), p = random(n + o);
            double[] row2 = row.clone(), p2 = p.clone(), want = row.clone(), wantP = p.clone();
            double vr = RNG.nextGaussian(), wr = RNG.nextGaussian(), alpha = RNG.nextGaussian();
            for (int i = o; i < o + n; i++) {
                want[i] = Math.fma(-vr, wp[i], Math.fma(-wr, vp[i], row[i]));
                wantP[i] = Math.fma(alpha, want[i], p[i]);
            }
            EigenKernels.rank2(row, vr, wr, vp, wp, o, n);
            double[] row3 = p.clone(), y3 = wp.clone(), want3 = p.clone(), wantY = wp.clone();
            for (int i = o; i < o + n; i++) {
                want3[i] = Math.fma(vr, vp[i], p[i]);
                wantY[i] = Math.fma(alpha, want3[i], wp[i]);
            }
            EigenKernels.axpyThenAxpy(vr, vp, row3, alpha, y3, o, n);
            assertArrayEquals(want3, row3, "axpyThenAxpy row, n " + n);
            assertArrayEquals(wantY, y3, "axpyThenAxpy y, n " + n);
            EigenKernels.rank2AndAxpy(row2, vr, wr, vp, wp, alpha, p2, o, n);
            assertArrayEquals(want, row, "rank2, n " + n);   // assertArrayEquals on doubles compares bits
            assertArrayEquals(want, row2, "rank2AndAxpy row, n " + n);
            assertArrayEquals(wantP, p2, "rank2AndAxpy p, n " + n);
        }
    }

    @Test void multiplyIsTheOrderedFmaChainPerElement() {
        for (int[] shape : new int[][]{{1, 1, 1}, {4, 3, 16}, {5, 7, 17}, {8, 2, 31}, {3, 9, 40}, {12, 128, 128}, {130, 127, 129}}) {
            int rows = shape[0], inner = shape[1], cols = shape[2];
            double[][] a = new double[rows][], b = new double[inner][], c = new double[rows][cols];
            for (int i = 0; i < rows; i++) a[i] = random(inner);
            for (int t = 0; t < inner; t++) b[t] = random(cols);
            EigenKernels.multiply(a, rows, inner, b, cols, c);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) {
                    double acc = 0;
                    for (int t = 0; t < inner; t++) acc = Math.fma(a[i][t], b[t][j], acc);
                    assertEquals(Double.doubleToRawLongBits(acc), Double.doubleToRawLongBits(c[i][j]), rows + "x" + inner + "x" + cols + " at " + i + "," + j);
                }
        }
    }

    @Test void rotateRowsIsTheElementwiseRotation() {
        for (int n = 0; n <= MAX_N; n++) {
            double[] zi = random(n), zi1 = random(n), wi = zi.clone(), wi1 = zi1.clone();
            double t = RNG.nextDouble() * 2 * Math.PI, c = Math.cos(t), s = Math.sin(t);
            for (int k = 0; k < n; k++) {
                double a = wi[k], h = wi1[k];
                wi1[k] = Math.fma(s, a, c * h);
                wi[k] = Math.fma(c, a, -s * h);
            }
            EigenKernels.rotateRows(zi, zi1, c, s, n);
            assertArrayEquals(wi, zi, "z_i, n " + n);
            assertArrayEquals(wi1, zi1, "z_i+1, n " + n);
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
