package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdNotConvergedException;

import io.geocont.linalg.SvdResult;
import io.geocont.linalg.ExactOptions;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SvdExactTest {

    private static SvdResult exact(KnownSpectrum k) {
        return JacobiSvd.decompose(k.a, k.m, k.n, k.frobeniusSq(), ExactOptions.DEFAULTS);
    }

    /** U and V orthonormal, no NaN, s descending and non-negative. */
    static void assertWellFormed(SvdResult r, double tol) {
        int k = r.k();
        assertEquals(Math.min(r.rows(), r.cols()), k);
        for (int i = 0; i < k; i++) {
            assertTrue(r.s()[i] >= 0 && Double.isFinite(r.s()[i]), "s" + i + " = " + r.s()[i]);
            if (i > 0) assertTrue(r.s()[i] <= r.s()[i - 1], "descending at " + i);
            assertEquals(r.rows(), r.u()[i].length);
            assertEquals(r.cols(), r.v()[i].length);
            for (int j = 0; j <= i; j++) {
                double want = i == j ? 1 : 0;
                assertEquals(want, KnownSpectrum.dot(r.u()[i], r.u()[j]), tol, "U^T U [" + i + "," + j + "]");
                assertEquals(want, KnownSpectrum.dot(r.v()[i], r.v()[j]), tol, "V^T V [" + i + "," + j + "]");
            }
        }
    }

    /** ||A - U S V^T||_max relative to s1. */
    static double reconstructionError(SvdResult r, double[] a) {
        int m = r.rows(), n = r.cols();
        double worst = 0, s1 = r.k() > 0 ? Math.max(r.s()[0], 1e-300) : 1;
        for (int p = 0; p < m; p++)
            for (int q = 0; q < n; q++) {
                double x = 0;
                for (int i = 0; i < r.k(); i++) x += r.s()[i] * r.u()[i][p] * r.v()[i][q];
                worst = Math.max(worst, Math.abs(x - a[p * n + q]));
            }
        return worst / s1;
    }

    private static void checkKnown(int m, int n, long seed) {
        int r = Math.min(m, n);
        KnownSpectrum k = new KnownSpectrum(m, n, KnownSpectrum.geometric(r, 10, 0.93), seed);
        SvdResult res = exact(k);
        assertWellFormed(res, 1e-12);
        for (int i = 0; i < r; i++) {
            assertEquals(k.s[i], res.s()[i], 1e-10 * k.s[i], "s" + i + " of " + m + "x" + n);
            assertTrue(Math.abs(KnownSpectrum.dot(res.u()[i], k.u[i])) >= 1 - 1e-8, "u" + i + " of " + m + "x" + n);
            assertTrue(Math.abs(KnownSpectrum.dot(res.v()[i], k.v[i])) >= 1 - 1e-8, "v" + i + " of " + m + "x" + n);
        }
        assertTrue(reconstructionError(res, k.a) < 1e-12);
    }

    @Test void tallWideSquareSmall() {
        checkKnown(30, 20, 1);
        checkKnown(20, 30, 2);
        checkKnown(25, 25, 3);
        checkKnown(7, 1, 4);
        checkKnown(1, 5, 5);
    }

    @Test void tallWideSquareBlockedParallel() {
        checkKnown(140, 100, 11);   // blocked order, parallel rounds
        checkKnown(100, 140, 12);
        checkKnown(64, 64, 13);     // blocked order, one thread
    }

    @Test void floatEntryPointMatchesKnownSpectrumToFloatPrecision() {
        KnownSpectrum k = new KnownSpectrum(50, 40, KnownSpectrum.geometric(40, 3, 0.9), 21);
        SvdResult r = Svds.exact().decompose(k.asFloat());
        assertTrue(r.complete());
        assertEquals(k.asFloat().frobeniusSq(), r.frobeniusSq(), 0);
        for (int i = 0; i < 10; i++) assertEquals(k.s[i], r.s()[i], 1e-6 * k.s[0]);
        assertTrue(Math.abs(KnownSpectrum.dot(r.v()[0], k.v[0])) > 1 - 1e-8);
    }

    @Test void zeroMatrixGivesZerosAndOrthonormalVectors() {
        for (int[] shape : new int[][] {{12, 7}, {7, 12}, {100, 100}}) {
            SvdResult r = Svds.exact().decompose(Matrix.zeros(shape[0], shape[1]));
            assertWellFormed(r, 1e-12);
            for (double s : r.s()) assertEquals(0, s);
        }
    }

    @Test void rankDeficientGivesOrthonormalCompletion() {
        double[] s = new double[20];
        s[0] = 4; s[1] = 2; s[2] = 1; // rank 3
        KnownSpectrum k = new KnownSpectrum(30, 20, s, 31);
        SvdResult r = exact(k);
        assertWellFormed(r, 1e-10);
        for (int i = 0; i < 3; i++) assertEquals(s[i], r.s()[i], 1e-10 * s[i]);
        for (int i = 3; i < 20; i++) assertTrue(r.s()[i] < 1e-13, "s" + i + " = " + r.s()[i]);
        assertTrue(reconstructionError(r, k.a) < 1e-12);
        // a matrix with exactly zero rows and columns (entries exactly representable)
        float[] f = new float[9 * 6];
        f[0] = 1; f[1 * 6 + 1] = 1; f[2 * 6] = 1;
        SvdResult z = Svds.exact().decompose(new Matrix(9, 6, f));
        assertWellFormed(z, 1e-12);
        assertEquals(Math.sqrt(2), z.s()[0], 1e-14);
        assertEquals(1, z.s()[1], 1e-14);
    }

    @Test void repeatedSingularValuesAreExactAndVectorsOrthonormal() {
        double[] s = {5, 5, 5, 2, 2, 1, 1, 1, 1, 0.5, 0.5, 0.5};
        KnownSpectrum k = new KnownSpectrum(16, 12, s, 41);
        SvdResult r = exact(k);
        assertWellFormed(r, 1e-12);
        for (int i = 0; i < s.length; i++) assertEquals(s[i], r.s()[i], 1e-10 * s[i]);
        assertTrue(reconstructionError(r, k.a) < 1e-12);
        // identity: every value 1
        float[] id = new float[40 * 40];
        for (int i = 0; i < 40; i++) id[i * 40 + i] = 1;
        SvdResult ri = Svds.exact().decompose(new Matrix(40, 40, id));
        assertWellFormed(ri, 1e-12);
        for (double x : ri.s()) assertEquals(1, x, 1e-14);
    }

    @Test void sweepLimitGivesClearError() {
        Matrix a = KnownSpectrum.gaussian(60, 60, new SplittableRandom(7));
        SvdNotConvergedException e = assertThrows(SvdNotConvergedException.class,
                () -> Svds.exact(new ExactOptions(1, 0)).decompose(a));
        assertTrue(e.getMessage().contains("did not converge in 1 Jacobi sweeps"), e.getMessage());
        assertTrue(e.getMessage().contains("60x60"), e.getMessage());
        assertNotNull(e.estimate());
        assertTrue(e.achieved() > 0);
    }

    @Test void resultsAreBitwiseReproducible() {
        Matrix a = KnownSpectrum.gaussian(150, 120, new SplittableRandom(8));
        SvdResult x = Svds.exact().decompose(a), y = Svds.exact().decompose(a);
        assertArrayEquals(x.s(), y.s());
        for (int i = 0; i < x.k(); i++) {
            assertArrayEquals(x.u()[i], y.u()[i]);
            assertArrayEquals(x.v()[i], y.v()[i]);
        }
    }

    @Test void nonFiniteInputIsRejected() {
        float[] f = new float[12];
        f[5] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svds.exact().decompose(new Matrix(3, 4, f)));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertEquals(0, Svds.exact().decompose(Matrix.zeros(0, 5)).k());
        assertTrue(Arrays.stream(Svds.exact().decompose(Matrix.zeros(1, 1)).s()).allMatch(v -> v == 0));
    }
}
