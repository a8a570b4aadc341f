package io.geocont.linalg.svd;

import io.geocont.linalg.SvdResult;
import io.geocont.linalg.ExactOptions;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The fast path of the exact SVD: recovering the Jacobi rotation J from X0 J = X. */
class RotationBySolveTest {

    /** Column-contiguous lower-triangular X0 (column i at [i*n, (i+1)*n)) with diagonal diag. */
    private static double[] lowerTriangular(double[] diag, SplittableRandom rng) {
        int n = diag.length;
        double[] x0 = new double[n * n];
        for (int i = 0; i < n; i++) {
            x0[i * n + i] = diag[i];
            for (int k = i + 1; k < n; k++) x0[i * n + k] = 0.3 * diag[k] * rng.nextGaussian();
        }
        return x0;
    }

    /** Column-contiguous X0 J, with J given as rows (J[r][c]). */
    private static double[] times(double[] x0, double[][] j, int n) {
        double[] x = new double[n * n];
        for (int c = 0; c < n; c++)
            for (int r = 0; r < n; r++) {
                double jr = j[r][c];
                for (int k = 0; k < n; k++) x[c * n + k] += x0[r * n + k] * jr;
            }
        return x;
    }

    @Test void recoversAKnownRotationToRoundoff() {
        for (int n : new int[] {17, 100, 130}) { // 130: more than two column chunks, a ragged last one
            SplittableRandom rng = new SplittableRandom(n);
            double[] diag = new double[n];
            for (int i = 0; i < n; i++) diag[i] = 10 * Math.pow(0.97, i); // graded like a pivoted R
            double[] x0 = lowerTriangular(diag, rng);
            double[][] j = KnownSpectrum.orthogonal(n, rng);
            assertTrue(RotationBySolve.worthTrying(x0, n));
            double[] got = RotationBySolve.solve(x0, times(x0, j, n), n);
            assertNotNull(got, "an orthogonal J must pass the check at n = " + n);
            double worst = 0;
            for (int c = 0; c < n; c++)
                for (int r = 0; r < n; r++) worst = Math.max(worst, Math.abs(got[c * n + r] - j[r][c]));
            assertTrue(worst < 1e-12, "max |J - J_true| = " + worst + " at n = " + n);
        }
    }

    @Test void rejectsANonOrthogonalResultSoTheCallerAccumulatesInstead() {
        int n = 40;
        SplittableRandom rng = new SplittableRandom(7);
        double[] diag = new double[n];
        java.util.Arrays.fill(diag, 1);
        double[] x0 = lowerTriangular(diag, rng);
        double[][] j = KnownSpectrum.orthogonal(n, rng);
        double[] x = times(x0, j, n);
        x[5 * n + 3] += 1e-9; // X no longer X0 times an orthogonal matrix: J^T J is off by ~1e-9
        assertNull(RotationBySolve.solve(x0, x, n));
    }

    @Test void nearSingularTriangleIsNotTried() {
        int n = 20;
        double[] diag = new double[n];
        java.util.Arrays.fill(diag, 1);
        diag[n - 1] = 1e-9; // spread 1e9 > 1e8
        assertFalse(RotationBySolve.worthTrying(lowerTriangular(diag, new SplittableRandom(3)), n));
        diag[n - 1] = 0;
        assertFalse(RotationBySolve.worthTrying(lowerTriangular(diag, new SplittableRandom(3)), n));
        diag[n - 1] = 1e-3;
        assertTrue(RotationBySolve.worthTrying(lowerTriangular(diag, new SplittableRandom(3)), n));
    }

    @Test void badlyConditionedMatricesStillGiveAnOrthonormalSvd() {
        // condition number 1e10 at n = 120: the fast path is refused or rejected, the accumulated one answers
        KnownSpectrum k = new KnownSpectrum(150, 120, KnownSpectrum.geometric(120, 1, Math.pow(1e-10, 1.0 / 119)), 5);
        SvdResult r = JacobiSvd.decompose(k.a, k.m, k.n, k.frobeniusSq(), ExactOptions.DEFAULTS);
        SvdExactTest.assertWellFormed(r, 1e-12);
        for (int i = 0; i < 120; i++) assertEquals(k.s[i], r.s()[i], 1e-13 * k.s[0] + 1e-10 * k.s[i], "s" + i);
    }
}
