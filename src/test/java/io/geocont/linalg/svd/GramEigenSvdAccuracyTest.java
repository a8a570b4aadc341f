package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import io.geocont.util.SplitMix64;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Gram-eigen SVD against the exact one-sided Jacobi SVD ({@link Svds#exact}) on every kernel
 * tail (sizes that are no multiple of the vector width or of the four-row tiles), rank
 * deficiency, zero columns (a reflection-free tridiagonalization step), the zero matrix and the
 * identity (every value tied): singular values, orthonormal V and U, both residuals
 * ||A v - s u|| and ||A^T u - s v||, and the vectors of well-separated values. Squaring the
 * matrix limits what can be asked of values below ~1e-3 s_1 (absolute error ~ eps s_1^2 / s), so
 * those get the squared-condition bound; everything else is held to ~1e-12 of s_1.
 */
class GramEigenSvdAccuracyTest {
    private static Matrix random(SplitMix64 rng, int m, int n, int rank) {
        float[] a = new float[m * n];
        for (int t = 0; t < rank; t++) {
            double[] p = new double[m], q = new double[n];
            for (int i = 0; i < m; i++) p[i] = rng.nextGaussian();
            for (int j = 0; j < n; j++) q[j] = rng.nextGaussian();
            double w = Math.pow(0.9, t);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[i * n + j] += (float) (w * p[i] * q[j]);
        }
        return new Matrix(m, n, a);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void assertAccurate(Matrix a, String what) {
        SvdResult got = new GramEigenSvd().decompose(a), want = Svds.exact().decompose(a);
        int m = a.rows(), n = a.cols(), k = Math.min(m, n);
        assertEquals(k, got.k(), what + ": triplets");
        assertTrue(got.complete(), what + ": complete");
        double s1 = Math.max(want.s()[0], Double.MIN_NORMAL), tiny = 1e-3 * s1;
        assertEquals(want.frobeniusSq(), got.frobeniusSq(), 1e-13 * Math.max(want.frobeniusSq(), Double.MIN_NORMAL), what + ": ||A||_F^2");
        float[] f = a.data();
        for (int i = 0; i < k; i++) {
            double s = got.s()[i], tol = s >= tiny ? 1e-12 * s1 : 1e-7 * s1;
            assertEquals(want.s()[i], s, tol, what + ": s" + i);
            if (i > 0) assertTrue(s <= got.s()[i - 1], what + ": descending at " + i);
            double[] v = got.v()[i], u = got.u()[i];
            assertEquals(1, dot(v, v), 1e-12, what + ": |v" + i + "|");
            assertEquals(1, dot(u, u), 1e-12, what + ": |u" + i + "|");
            for (int j = 0; j < i; j++) {
                assertEquals(0, dot(v, got.v()[j]), 1e-12, what + ": v" + i + ".v" + j);
                if (s >= 1e-2 * s1) assertEquals(0, dot(u, got.u()[j]), 1e-11, what + ": u" + i + ".u" + j);
            }
            if (s < tiny) continue;
            double av = 0, atu = 0;                  // ||A v - s u||^2 and ||A^T u - s v||^2
            for (int r = 0; r < m; r++) {
                double x = 0;
                for (int c = 0; c < n; c++) x += f[r * n + c] * v[c];
                av += (x - s * u[r]) * (x - s * u[r]);
            }
            for (int c = 0; c < n; c++) {
                double x = 0;
                for (int r = 0; r < m; r++) x += f[r * n + c] * u[r];
                atu += (x - s * v[c]) * (x - s * v[c]);
            }
            assertTrue(Math.sqrt(av) <= 1e-12 * s1, what + ": ||A v" + i + " - s u|| = " + Math.sqrt(av));
            assertTrue(Math.sqrt(atu) <= 1e-12 * s1, what + ": ||A^T u" + i + " - s v|| = " + Math.sqrt(atu));
            double gap = Math.min(i > 0 ? want.s()[i - 1] - want.s()[i] : s1, i + 1 < k ? want.s()[i] - want.s()[i + 1] : s1);
            if (gap > 1e-2 * s1) {                  // a well-separated value: its vectors are determined (up to sign)
                assertEquals(1, Math.abs(dot(v, want.v()[i])), 1e-10, what + ": v" + i + " against Jacobi");
                assertEquals(1, Math.abs(dot(u, want.u()[i])), 1e-10, what + ": u" + i + " against Jacobi");
            }
        }
    }

    @Test void matchesTheExactSvdOnEveryShape() {
        SplitMix64 rng = new SplitMix64(2026);
        for (int[] shape : new int[][]{{1, 1}, {2, 3}, {3, 2}, {5, 7}, {7, 5}, {9, 9}, {13, 29}, {29, 13}, {33, 33}, {37, 41},
                {64, 64}, {100, 100}, {127, 130}, {130, 127}, {128, 128}, {200, 128}}) {
            int m = shape[0], n = shape[1];
            assertAccurate(random(rng, m, n, Math.min(m, n)), m + "x" + n + " full rank");
        }
    }

    @Test void matchesTheExactSvdOnResidualLikeWeights() {
        SplitMix64 rng = new SplitMix64(3);                // identity plus Gaussian / sqrt(d): a trained residual block's shape of spectrum
        int n = 128;
        float[] f = new float[n * n];
        for (int i = 0; i < f.length; i++) f[i] = (float) (rng.nextGaussian() / Math.sqrt(n));
        for (int i = 0; i < n; i++) f[i * n + i] += 1f;
        assertAccurate(new Matrix(n, n, f), "128x128 identity plus noise");
    }

    @Test void matchesTheExactSvdOnRankDeficientZeroColumnAndTiedMatrices() {
        SplitMix64 rng = new SplitMix64(7);
        assertAccurate(random(rng, 40, 40, 3), "40x40 rank 3");
        assertAccurate(random(rng, 128, 128, 1), "128x128 rank 1");
        assertAccurate(random(rng, 31, 17, 0), "31x17 zero");
        Matrix a = random(rng, 45, 45, 45);
        float[] d = a.data();
        for (int r = 0; r < 45; r++) { d[r * 45 + 44] = 0; d[r * 45 + 10] = 0; }
        assertAccurate(a, "45x45 with zero columns");
        float[] eye = new float[16 * 16];
        for (int i = 0; i < 16; i++) eye[i * 16 + i] = 1;
        assertAccurate(new Matrix(16, 16, eye), "16x16 identity");
    }

    /** The symmetric eigen-solver of the Lanczos Ritz problem: H x = lambda x, orthonormal x, descending lambda. */
    @Test void symmetricEigenIsAccurate() {
        SplitMix64 rng = new SplitMix64(11);
        for (int n : new int[]{1, 2, 3, 8, 12, 13, 24, 40, 65}) {
            double[][] h = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) h[i][j] = h[j][i] = rng.nextGaussian();
            double norm = 0;
            for (double[] row : h) for (double x : row) norm += x * x;
            norm = Math.sqrt(norm);
            double[] values = new double[n];
            double[][] x = GramEigenSvd.symmetricEigen(h, n, values);
            for (int i = 0; i < n; i++) {
                if (i > 0) assertTrue(values[i] <= values[i - 1], "n " + n + ": descending at " + i);
                double res = 0;
                for (int r = 0; r < n; r++) {
                    double y = -values[i] * x[i][r];
                    for (int c = 0; c < n; c++) y += h[r][c] * x[i][c];
                    res += y * y;
                }
                assertTrue(Math.sqrt(res) <= 1e-13 * norm, "n " + n + ": residual of pair " + i + " = " + Math.sqrt(res));
                for (int j = 0; j <= i; j++) assertEquals(i == j ? 1 : 0, dot(x[i], x[j]), 1e-13, "n " + n + ": x" + i + ".x" + j);
            }
        }
    }
}
