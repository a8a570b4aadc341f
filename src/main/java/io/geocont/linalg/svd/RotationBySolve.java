package io.geocont.linalg.svd;

import io.geocont.linalg.Parallel;

/**
 * Recovers the Jacobi rotation J from X0 J = X after the sweeps, instead of accumulating every
 * rotation into J as it happens (which doubles the work of each rotation). X0 = R^T is lower
 * triangular, so J = X0^{-1} X is one forward substitution (n^3 / 2 multiply-adds, vectorized).
 *
 * <p>Accuracy: with a column-pivoted R the substitution is accurate whenever R is far from
 * singular (Drmac-Veselic, the same step LAPACK's xGEJSV takes). That is checked, not assumed:
 * the recovered J must be orthogonal to {@link #orthogonalityTolerance}, otherwise the caller
 * redoes the sweeps accumulating J (rank-deficient and badly conditioned inputs end up there).
 */
final class RotationBySolve {
    /**
     * Largest accepted |(J^T J)_ij - delta_ij|, 64 n eps: 1.8e-12 at n = 128, 7.3e-12 at n = 512.
     * Measured on Gaussian matrices: 2.9e-13 (n = 128), 1.4e-13 (256), 1.1e-12 (512).
     */
    static double orthogonalityTolerance(int n) {
        return 64 * n * Math.ulp(1.0);
    }
    /** Skip the attempt when R's diagonal spans more than this ratio (J would fail the check anyway). */
    private static final double MAX_DIAGONAL_SPREAD = 1e8;
    private static final int COLUMN_CHUNK = 64; // columns of J per parallel task

    private RotationBySolve() { }

    /** Whether the diagonal of X0 (column i at [i*n, (i+1)*n), diagonal at i*n+i) is far from singular. */
    static boolean worthTrying(double[] x0, int n) {
        double first = Math.abs(x0[0]);
        for (int i = 0; i < n; i++) {
            double d = Math.abs(x0[i * n + i]);
            if (!(d > 0) || first / d > MAX_DIAGONAL_SPREAD) return false;
        }
        return true;
    }

    /**
     * J with X0 J = X (both column-contiguous n x n, X0 lower triangular), column i of J at
     * [i*n, (i+1)*n); null if J is not orthogonal to the tolerance.
     */
    static double[] solve(double[] x0, double[] x, int n) {
        double[] rows = transpose(x, n); // row k of X, then overwritten by row k of J
        int chunks = (n + COLUMN_CHUNK - 1) / COLUMN_CHUNK;
        // Columns of J are independent: each task solves all rows over its own column slice,
        // so the arithmetic (and the result) does not depend on the thread count.
        Parallel.forEach(chunks, n >= 96, c -> { // below ~96 columns the hand-off costs more than the solve
            int j0 = c * COLUMN_CHUNK, len = Math.min(n, j0 + COLUMN_CHUNK) - j0;
            for (int k = 0; k < n; k++) {
                int ko = k * n + j0;
                for (int i = 0; i < k; i++) {
                    double xki = x0[i * n + k];
                    if (xki != 0) VecOps.axpy(-xki, rows, i * n + j0, rows, ko, len);
                }
                VecOps.scale(1 / x0[k * n + k], rows, ko, len);
            }
        });
        double[] jac = transpose(rows, n);
        return orthogonal(jac, n) ? jac : null;
    }

    private static boolean orthogonal(double[] jac, int n) {
        double tol = orthogonalityTolerance(n);
        boolean[] ok = new boolean[n];
        Parallel.forEach(n, n >= 96, i -> {
            boolean good = true;
            for (int j = i; j < n && good; j++) {
                double g = VecOps.dot(jac, i * n, jac, j * n, n) - (i == j ? 1 : 0);
                good = Math.abs(g) <= tol;
            }
            ok[i] = good;
        });
        for (boolean b : ok) if (!b) return false;
        return true;
    }

    private static double[] transpose(double[] a, int n) {
        double[] t = new double[a.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
        return t;
    }
}
