package io.geocont.io.checkpoint;

import io.geocont.analysis.Matrix;
import io.geocont.analysis.Svd;
import io.geocont.analysis.SvdResult;

/**
 * A float64 reference for tests, independent of the fast path: Jacobi eigen-decomposition of the
 * smaller Gram matrix (A^T A or A A^T, accumulated in float64), then the other side's vectors
 * from A. Exact enough for well-separated leading triplets; meant for small matrices.
 */
final class ReferenceSvd implements Svd {
    private final int keep;

    ReferenceSvd(int keep) { this.keep = keep; }

    @Override public SvdResult decompose(Matrix a) {
        int m = a.rows(), n = a.cols();
        boolean right = n <= m; // eigen on the n x n Gram gives v; else on m x m gives u
        int d = right ? n : m;
        double[][] g = new double[d][d];
        for (int p = 0; p < d; p++)
            for (int q = p; q < d; q++) {
                double s = 0;
                if (right) for (int i = 0; i < m; i++) s += (double) a.get(i, p) * a.get(i, q);
                else for (int j = 0; j < n; j++) s += (double) a.get(p, j) * a.get(q, j);
                g[p][q] = g[q][p] = s;
            }
        double[][] vecs = new double[d][d];
        double[] lambda = SymmetricEigen.decompose(g, vecs);
        int k = Math.min(keep, d);
        double[] s = new double[k];
        double[][] u = new double[k][], v = new double[k][];
        for (int c = 0; c < k; c++) {
            s[c] = Math.sqrt(Math.max(0, lambda[c]));
            double[] known = vecs[c];
            double[] other = new double[right ? m : n];
            for (int i = 0; i < other.length; i++) {
                double x = 0;
                for (int j = 0; j < d; j++) x += (right ? a.get(i, j) : a.get(j, i)) * known[j];
                other[i] = x / s[c];
            }
            u[c] = right ? other : known;
            v[c] = right ? known : other;
        }
        return new SvdResult(m, n, s, u, v, a.frobeniusSq(), false);
    }
}
