package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import io.geocont.util.SplitMix64;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The blocked Gram-eigen solver gives the very bits of the plain loops it replaced
 * ({@link GramEigenSvdBaseline}): singular values, both vector sets, and the symmetric
 * eigen-solver the top-k Lanczos uses. Shapes cover every kernel tail (sizes that are no
 * multiple of the vector width or of the four-row blocks), rank deficiency, zero columns
 * (tred2's zero-scale branch) and the zero matrix.
 */
class GramEigenSvdBitsTest {
    private static Matrix random(SplitMix64 rng, int m, int n, int rank) {
        float[] a = new float[m * n];
        if (rank <= 0) return new Matrix(m, n, a);
        for (int t = 0; t < rank; t++) {
            double[] p = new double[m], q = new double[n];
            for (int i = 0; i < m; i++) p[i] = rng.nextGaussian();
            for (int j = 0; j < n; j++) q[j] = rng.nextGaussian();
            double w = Math.pow(0.7, t);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[i * n + j] += (float) (w * p[i] * q[j]);
        }
        return new Matrix(m, n, a);
    }

    private static void assertSameBits(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what + " length");
        for (int i = 0; i < want.length; i++)
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), what + " at " + i);
    }

    private static void assertSameResult(Matrix a, String what) {
        SvdResult want = new GramEigenSvdBaseline().decompose(a), got = new GramEigenSvd().decompose(a);
        assertSameBits(want.s(), got.s(), what + " s");
        assertEquals(Double.doubleToRawLongBits(want.frobeniusSq()), Double.doubleToRawLongBits(got.frobeniusSq()), what + " ||A||_F^2");
        for (int i = 0; i < want.k(); i++) {
            assertSameBits(want.v()[i], got.v()[i], what + " v" + i);
            assertSameBits(want.u()[i], got.u()[i], what + " u" + i);
        }
    }

    @Test void sameBitsAsThePlainLoopsOnEveryShape() {
        SplitMix64 rng = new SplitMix64(2026);
        for (int[] shape : new int[][]{{1, 1}, {2, 3}, {3, 2}, {5, 7}, {7, 5}, {9, 9}, {13, 29}, {29, 13}, {33, 33}, {37, 41},
                {64, 64}, {100, 100}, {127, 130}, {130, 127}, {128, 128}, {200, 128}}) {
            int m = shape[0], n = shape[1];
            assertSameResult(random(rng, m, n, Math.min(m, n)), m + "x" + n + " full rank");
        }
    }

    @Test void sameBitsOnRankDeficientZeroColumnAndZeroMatrices() {
        SplitMix64 rng = new SplitMix64(7);
        assertSameResult(random(rng, 40, 40, 3), "40x40 rank 3");
        assertSameResult(random(rng, 128, 128, 1), "128x128 rank 1");
        assertSameResult(random(rng, 31, 17, 0), "31x17 zero");
        Matrix a = random(rng, 45, 45, 45);
        float[] d = a.data();
        for (int r = 0; r < 45; r++) { d[r * 45 + 44] = 0; d[r * 45 + 10] = 0; }  // zero columns: tred2's zero-scale step
        assertSameResult(a, "45x45 with zero columns");
        float[] eye = new float[16 * 16];
        for (int i = 0; i < 16; i++) eye[i * 16 + i] = 1;                   // every eigenvalue tied
        assertSameResult(new Matrix(16, 16, eye), "16x16 identity");
    }

    @Test void symmetricEigenGivesTheSameBits() {
        SplitMix64 rng = new SplitMix64(11);
        for (int n : new int[]{1, 2, 3, 8, 12, 13, 24, 40, 65}) {
            double[][] h = new double[n][n];
            for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) h[i][j] = h[j][i] = rng.nextGaussian();
            double[] wantVals = new double[n], gotVals = new double[n];
            double[][] want = GramEigenSvdBaseline.symmetricEigen(h, n, wantVals), got = GramEigenSvd.symmetricEigen(h, n, gotVals);
            assertSameBits(wantVals, gotVals, "n " + n + " values");
            for (int i = 0; i < n; i++) assertSameBits(want[i], got[i], "n " + n + " vector " + i);
        }
    }
}
