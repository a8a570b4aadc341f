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

    @Test void rankUpdatesAndTheirProductsAreThePlainLoops() {
        for (int[] shape : new int[][]{{0, 3, 1}, {1, 4, 0}, {2, 9, 5}, {3, 20, 17}, {0, 33, 33}, {5, 40, 31}, {1, 128, 127}, {7, 130, 123}}) {
            int r0 = shape[0], r1 = shape[1], len = shape[2], o = r1 - len;   // columns o .. r1-1 of r1 x r1
            double[][] a = new double[r1][], b = new double[r1][];
            for (int r = 0; r < r1; r++) { a[r] = random(r1); b[r] = a[r].clone(); }
            double[] vp = random(r1), wp = random(r1), v = random(r1), p = new double[r1], want = new double[r1];
            for (int c = o; c < r1; c++) {
                double acc = 0;
                for (int r = r0; r < r1; r++) {
                    b[r][c] = Math.fma(-vp[r], wp[c], Math.fma(-wp[r], vp[c], b[r][c]));
                    acc = Math.fma(v[r], b[r][c], acc);
                }
                want[c] = acc;
            }
            EigenKernels.rank2AndProduct(a, r0, r1, vp, wp, v, p, o, len);
            for (int r = 0; r < r1; r++) assertArrayEquals(b[r], a[r], "rank2AndProduct row " + r + ", shape " + java.util.Arrays.toString(shape));
            assertArrayEquals(want, p, "rank2AndProduct p, shape " + java.util.Arrays.toString(shape));
            double[] row = a[r0 % r1 == 0 ? 0 : r0].clone(), rowWant = row.clone();
            for (int c = o; c < r1; c++) rowWant[c] = Math.fma(-vp[1], wp[c], Math.fma(-wp[1], vp[c], row[c]));
            EigenKernels.rank2(row, vp[1], wp[1], vp, wp, o, len);
            assertArrayEquals(rowWant, row, "rank2, shape " + java.util.Arrays.toString(shape));
            double[] alpha = random(r1), beta = random(r1), x = random(r1), y = new double[r1], yWant = new double[r1];
            for (int c = o; c < r1; c++) {
                double acc = 0;
                for (int r = r0; r < r1; r++) {
                    b[r][c] = Math.fma(alpha[r], x[c], b[r][c]);
                    acc = Math.fma(beta[r], b[r][c], acc);
                }
                yWant[c] = acc;
            }
            EigenKernels.rank1AndCombination(a, r0, r1, alpha, x, beta, y, o, len);
            for (int r = 0; r < r1; r++) assertArrayEquals(b[r], a[r], "rank1AndCombination row " + r + ", shape " + java.util.Arrays.toString(shape));
            assertArrayEquals(yWant, y, "rank1AndCombination y, shape " + java.util.Arrays.toString(shape));
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

    @Test void rotateRowsAndRowPairAreTheElementwiseRotations() {
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
            double[] z0 = random(n), z2 = random(n), y0 = z0.clone(), y1 = zi1.clone(), y2 = z2.clone();
            double t0 = RNG.nextDouble() * 2 * Math.PI, c0 = Math.cos(t0), s0 = Math.sin(t0);
            EigenKernels.rotateRows(y1, y2, c, s, n);
            EigenKernels.rotateRows(y0, y1, c0, s0, n);
            EigenKernels.rotateRowPair(z0, zi1, z2, c, s, c0, s0, n);
            assertArrayEquals(y0, z0, "pair z_0, n " + n);
            assertArrayEquals(y1, zi1, "pair z_1, n " + n);
            assertArrayEquals(y2, z2, "pair z_2, n " + n);
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
