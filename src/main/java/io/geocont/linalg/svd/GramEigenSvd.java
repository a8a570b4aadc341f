package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;

/**
 * A fast complete SVD for the small hidden matrices of the toy MLP, used once per epoch: the
 * float64 Gram matrix A^T A is tridiagonalized by Householder reflections
 * ({@link HouseholderTridiagonal}) and diagonalized by the implicit QL method (EISPACK's tql2,
 * as in the public-domain JAMA library), then s_i = sqrt(lambda_i), v_i = eigenvectors,
 * u_i = A v_i / ||A v_i||.
 *
 * <p>About n^3 flops instead of the ~10 n^3 per sweep of one-sided Jacobi. Squaring the matrix
 * costs relative accuracy only for singular values below ~1e-7 s_1, which no continuity metric
 * resolves (their directions are ill-defined anyway); u_i of a zero singular value is the zero
 * vector's stand-in e_0. Intended for matrices up to a few hundred columns.
 *
 * <p>The heavy loops run through {@link EigenKernels}' blocked kernels (the Gram matrix in
 * register tiles, the tridiagonalization's fused passes, tql2's rotations as fused
 * multiply-adds, two at a time, overlapping its recurrence, U = V X^T in register tiles).
 * Each kernel's result is independent of its blocking, and one SVD runs on one thread, so the
 * bits depend on the matrix only. GramEigenSvdAccuracyTest holds it to the exact Jacobi SVD.
 */
public final class GramEigenSvd implements Svd {

    @Override public SvdResult decompose(Matrix a) {
        int m = a.rows(), n = a.cols();
        String bad = a.findNonFinite();
        if (bad != null) throw new IllegalArgumentException("Gram-eigen SVD of a " + m + "x" + n + " matrix with a non-finite entry: " + bad);
        double[][] x = rowsAsDouble(a);
        double[][] z = new double[n][n];             // upper triangle of the Gram matrix, then mirrored
        EigenKernels.gramUpper(x, m, n, z);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) z[i][j] = z[j][i];
        double fro = 0;
        for (int i = 0; i < n; i++) fro += z[i][i];
        double[] lambda = new double[n], e = new double[n];
        HouseholderTridiagonal.reduce(z, n, lambda, e);
        tql2(z, lambda, e);
        // eigenvalues ascend: reverse into descending singular triplets
        int k = Math.min(m, n);
        double[] s = new double[k];
        double[][] v = new double[k][], u = new double[k][m];
        for (int i = 0; i < k; i++) {
            int col = n - 1 - i;
            s[i] = Math.sqrt(Math.max(lambda[col], 0));
            v[i] = z[col];
        }
        EigenKernels.multiply(v, k, n, columnsAsDouble(a), m, u);   // u_i = X v_i: row i of V X^T
        for (int i = 0; i < k; i++) {
            double norm = Math.sqrt(VecOps.dot(u[i], 0, u[i], 0, m));
            if (norm > 0) VecOps.scale(1 / norm, u[i], 0, m);
            else u[i][0] = 1;
        }
        return new SvdResult(m, n, s, u, v, fro, true);
    }

    /**
     * Eigen-decomposition of the symmetric n x n matrix {@code a} (not modified): eigenvalues
     * descending into {@code values}, returns the unit eigenvectors (row i belongs to values[i]).
     * The same reduction and tql2 as the SVD above; the top-k Lanczos uses it for its Ritz problem.
     */
    static double[][] symmetricEigen(double[][] a, int n, double[] values) {
        double[][] w = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], 0, w[i], 0, n);
        double[] d = new double[n], e = new double[n];
        HouseholderTridiagonal.reduce(w, n, d, e);
        tql2(w, d, e);
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            values[i] = d[n - 1 - i];
            vectors[i] = w[n - 1 - i];
        }
        return vectors;
    }

    /** X^T in float64: row j is column j of a. */
    private static double[][] columnsAsDouble(Matrix a) {
        int m = a.rows(), n = a.cols();
        float[] f = a.data();
        double[][] xt = new double[n][m];
        for (int r = 0; r < m; r++) for (int j = 0; j < n; j++) xt[j][r] = f[r * n + j];
        return xt;
    }

    static double[][] rowsAsDouble(Matrix a) {
        int m = a.rows(), n = a.cols();
        float[] f = a.data();
        double[][] x = new double[m][n];
        for (int r = 0; r < m; r++) for (int j = 0; j < n; j++) x[r][j] = f[r * n + j];
        return x;
    }

    /** Implicit QL on the tridiagonal (d, e); eigenvalues ascending in d, eigenvectors in z's rows. */
    static void tql2(double[][] z, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        double eps = Math.ulp(1.0);
        // the rotations go to z's rows as the recurrence makes them, two at a time (rows i .. i+2
        // in one pass: three loads and stores per column where two separate rotations take four):
        // the vector work runs while the recurrence's next step (a chain of a sqrt and a division)
        // waits on its latency, and the rows are in L1 when the next step needs one of them
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n) {
                if (Math.abs(e[m]) <= eps * tst1) break;
                m++;
            }
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 100) throw new io.geocont.linalg.SvdNotConvergedException("Gram-eigen SVD: the tridiagonal QL iteration did not converge", null, Double.NaN);
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.sqrt(p * p + 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1;
                    double el1 = e[l + 1];
                    double s = 0, s2 = 0, cPending = 1, sPending = 0;
                    boolean pending = false;           // rotation i + 1, waiting to go with rotation i
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.sqrt(p * p + e[i] * e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (pending) EigenKernels.rotateRowPair(z[i], z[i + 1], z[i + 2], cPending, sPending, c, s, n);
                        cPending = c;
                        sPending = s;
                        pending = !pending;
                    }
                    if (pending) EigenKernels.rotateRows(z[l], z[l + 1], cPending, sPending, n);
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        // selection sort ascending, moving eigenvector columns along
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            double p = d[i];
            for (int j = i + 1; j < n; j++) if (d[j] < p) { k = j; p = d[j]; }
            if (k != i) {
                d[k] = d[i];
                d[i] = p;
                double[] t = z[i]; z[i] = z[k]; z[k] = t;
            }
        }
    }
}
