package io.geocont.backend.cuda;

/**
 * Host float64 helpers for the small problems around GPU subspace iteration: modified
 * Gram-Schmidt on tall row-major blocks and a one-sided Jacobi SVD of an r x r matrix.
 */
final class SmallLinalg {
    private SmallLinalg() { }

    /**
     * Orthonormalizes the r columns of the row-major rows x r block x in place (twice-iterated
     * modified Gram-Schmidt, float64). A column that vanishes is replaced by a unit vector
     * orthogonal to the others, so the block always keeps full rank.
     */
    static void orthonormalizeColumns(double[] x, int rows, int r) {
        for (int j = 0; j < r; j++) {
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i < j; i++) {
                    double d = 0;
                    for (int t = 0; t < rows; t++) d += x[t * r + i] * x[t * r + j];
                    for (int t = 0; t < rows; t++) x[t * r + j] -= d * x[t * r + i];
                }
            double nrm = 0;
            for (int t = 0; t < rows; t++) nrm += x[t * r + j] * x[t * r + j];
            nrm = Math.sqrt(nrm);
            if (nrm < 1e-300) { // deficient: take the first coordinate vector not yet spanned
                for (int e = 0; e < rows && nrm < 0.5; e++) {
                    for (int t = 0; t < rows; t++) x[t * r + j] = t == e ? 1 : 0;
                    for (int i = 0; i < j; i++) {
                        double d = x[e * r + i];
                        for (int t = 0; t < rows; t++) x[t * r + j] -= d * x[t * r + i];
                    }
                    nrm = 0;
                    for (int t = 0; t < rows; t++) nrm += x[t * r + j] * x[t * r + j];
                    nrm = Math.sqrt(nrm);
                }
            }
            for (int t = 0; t < rows; t++) x[t * r + j] /= nrm;
        }
    }

    /**
     * One-sided Jacobi SVD of a row-major r x r matrix b: returns {s (r), U (r x r row-major),
     * V (r x r row-major)} with b = U diag(s) V^T, s descending.
     */
    static double[][] svdSquare(double[] b, int r) {
        double[] a = b.clone(); // columns of a get rotated into U * s
        double[] v = new double[r * r];
        for (int i = 0; i < r; i++) v[i * r + i] = 1;
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0;
            for (int p = 0; p < r - 1; p++)
                for (int q = p + 1; q < r; q++) {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int t = 0; t < r; t++) {
                        double ap = a[t * r + p], aq = a[t * r + q];
                        alpha += ap * ap;
                        beta += aq * aq;
                        gamma += ap * aq;
                    }
                    if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
                    off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
                    double zeta = (beta - alpha) / (2 * gamma);
                    double tt = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) tt = 1;
                    double c = 1 / Math.sqrt(1 + tt * tt), s = c * tt;
                    for (int t = 0; t < r; t++) {
                        double ap = a[t * r + p], aq = a[t * r + q];
                        a[t * r + p] = c * ap - s * aq;
                        a[t * r + q] = s * ap + c * aq;
                        double vp = v[t * r + p], vq = v[t * r + q];
                        v[t * r + p] = c * vp - s * vq;
                        v[t * r + q] = s * vp + c * vq;
                    }
                }
            if (off < 1e-15) break;
        }
        double[] s = new double[r];
        for (int j = 0; j < r; j++) {
            double n = 0;
            for (int t = 0; t < r; t++) n += a[t * r + j] * a[t * r + j];
            s[j] = Math.sqrt(n);
        }
        Integer[] order = new Integer[r];
        for (int i = 0; i < r; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
        double[] so = new double[r], uo = new double[r * r], vo = new double[r * r];
        for (int jj = 0; jj < r; jj++) {
            int j = order[jj];
            so[jj] = s[j];
            for (int t = 0; t < r; t++) {
                uo[t * r + jj] = s[j] > 0 ? a[t * r + j] / s[j] : (t == jj ? 1 : 0);
                vo[t * r + jj] = v[t * r + j];
            }
        }
        return new double[][]{so, uo, vo};
    }
}
