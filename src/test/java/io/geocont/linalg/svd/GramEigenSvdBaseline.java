package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;

/**
 * GramEigenSvd as it was before its loops were blocked and vectorized (commit 745b99f): the
 * plain JAMA tred2/tql2 loop order over VecOps.dot/axpy. GramEigenSvdBitsTest holds the tuned
 * solver to these exact bits, so the speed-up changes no result (Table 1 included).
 */
final class GramEigenSvdBaseline implements Svd {

    @Override public SvdResult decompose(Matrix a) {
        int m = a.rows(), n = a.cols();
        String bad = a.findNonFinite();
        if (bad != null) throw new IllegalArgumentException("Gram-eigen SVD of a " + m + "x" + n + " matrix with a non-finite entry: " + bad);
        double[][] x = rowsAsDouble(a);
        double[][] z = new double[n][n];             // upper triangle of the Gram matrix, then mirrored
        for (int r = 0; r < m; r++) {
            double[] xr = x[r];
            for (int i = 0; i < n; i++) if (xr[i] != 0) VecOps.axpy(xr[i], xr, i, z[i], i, n - i);
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) z[i][j] = z[j][i];
        double fro = 0;
        for (int i = 0; i < n; i++) fro += z[i][i];
        double[] lambda = new double[n], e = new double[n];
        tred2(z, lambda, e);
        tql2(z, lambda, e);
        // eigenvalues ascend: reverse into descending singular triplets
        int k = Math.min(m, n);
        double[] s = new double[k];
        double[][] v = new double[k][], u = new double[k][m];
        for (int i = 0; i < k; i++) {
            int col = n - 1 - i;
            s[i] = Math.sqrt(Math.max(lambda[col], 0));
            v[i] = z[col];
            double norm = 0;
            for (int r = 0; r < m; r++) {
                double t = VecOps.dot(x[r], 0, v[i], 0, n);
                u[i][r] = t;
                norm += t * t;
            }
            norm = Math.sqrt(norm);
            if (norm > 0) for (int r = 0; r < m; r++) u[i][r] /= norm;
            else u[i][0] = 1;
        }
        return new SvdResult(m, n, s, u, v, fro, true);
    }

    /**
     * Eigen-decomposition of the symmetric n x n matrix {@code a} (not modified): eigenvalues
     * descending into {@code values}, returns the unit eigenvectors (row i belongs to values[i]).
     * The same tred2/tql2 pair as the SVD above; the top-k Lanczos uses it for its Ritz problem.
     */
    static double[][] symmetricEigen(double[][] a, int n, double[] values) {
        double[][] w = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], 0, w[i], 0, n);
        double[] d = new double[n], e = new double[n];
        tred2(w, d, e);
        tql2(w, d, e);
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            values[i] = d[n - 1 - i];
            vectors[i] = w[n - 1 - i];
        }
        return vectors;
    }

    private static double[][] rowsAsDouble(Matrix a) {
        int m = a.rows(), n = a.cols();
        float[] f = a.data();
        double[][] x = new double[m][n];
        for (int r = 0; r < m; r++) for (int j = 0; j < n; j++) x[r][j] = f[r * n + j];
        return x;
    }

    /**
     * Householder reduction of the symmetric w to tridiagonal form (d diagonal, e sub-diagonal).
     * This is JAMA's tred2 with every index pair swapped (w = V^T), so the inner loops run along
     * rows and w ends as the transform's transpose: its rows are what tql2 rotates.
     */
    private static void tred2(double[][] w, double[] d, double[] e) {
        int n = d.length;
        for (int j = 0; j < n; j++) d[j] = w[j][n - 1];
        for (int i = n - 1; i > 0; i--) {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) { d[j] = w[j][i - 1]; w[j][i] = 0; w[i][j] = 0; }
            } else {
                for (int k = 0; k < i; k++) { d[k] /= scale; h += d[k] * d[k]; }
                double f = d[i - 1];
                double gg = Math.sqrt(h);
                if (f > 0) gg = -gg;
                e[i] = scale * gg;
                h -= f * gg;
                d[i - 1] = f - gg;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    double[] wj = w[j];
                    w[i][j] = f;
                    gg = e[j] + wj[j] * f;
                    int len = i - 1 - j;
                    if (len > 0) {
                        gg += VecOps.dot(wj, j + 1, d, j + 1, len);
                        VecOps.axpy(f, wj, j + 1, e, j + 1, len);
                    }
                    e[j] = gg;
                }
                f = 0;
                for (int j = 0; j < i; j++) { e[j] /= h; f += e[j] * d[j]; }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    gg = e[j];
                    double[] wj = w[j];
                    VecOps.axpy(-f, e, j, wj, j, i - j);
                    VecOps.axpy(-gg, d, j, wj, j, i - j);
                    d[j] = wj[i - 1];
                    wj[i] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) {
            w[i][n - 1] = w[i][i];
            w[i][i] = 1;
            double h = d[i + 1];
            double[] wi1 = w[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) d[k] = wi1[k] / h;
                for (int j = 0; j <= i; j++) {
                    double gg = VecOps.dot(wi1, 0, w[j], 0, i + 1);
                    VecOps.axpy(-gg, d, 0, w[j], 0, i + 1);
                }
            }
            for (int k = 0; k <= i; k++) wi1[k] = 0;
        }
        for (int j = 0; j < n; j++) { d[j] = w[j][n - 1]; w[j][n - 1] = 0; }
        w[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /** Implicit QL on the tridiagonal (d, e); eigenvalues ascending in d, eigenvectors in z's rows. */
    private static void tql2(double[][] z, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        double eps = Math.ulp(1.0);
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
                    double s = 0, s2 = 0;
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
                        double[] zi = z[i], zi1 = z[i + 1];
                        for (int k = 0; k < n; k++) {
                            h = zi1[k];
                            zi1[k] = s * zi[k] + c * h;
                            zi[k] = c * zi[k] - s * h;
                        }
                    }
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
