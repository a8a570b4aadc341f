package io.geocont.linalg.svd;

/**
 * Householder QR with column pivoting, T P = Q R, in place on a column-contiguous M x N array
 * (M >= N). R ends up on and above the diagonal; the Householder vectors below it (with an
 * implicit leading 1) and {@link #tau} describe Q = H_0 H_1 ... H_{N-1}. Pivoting puts the
 * largest remaining column first, which is what makes Jacobi on R^T converge in few sweeps.
 */
final class PivotedQr {
    final double[] cols;
    final int m, n;
    final double[] tau;
    /** Column k of T P is column perm[k] of T. */
    final int[] perm;

    private PivotedQr(double[] cols, int m, int n) {
        this.cols = cols; this.m = m; this.n = n;
        this.tau = new double[n];
        this.perm = new int[n];
    }

    static PivotedQr factor(double[] cols, int m, int n) {
        PivotedQr qr = new PivotedQr(cols, m, n);
        qr.run();
        return qr;
    }

    private void run() {
        double[] pn = new double[n], pnRef = new double[n]; // remaining squared norms (+ value at last recompute)
        for (int k = 0; k < n; k++) {
            perm[k] = k;
            pn[k] = pnRef[k] = VecOps.dot(cols, k * m, cols, k * m, m);
        }
        double[] tmp = new double[m];
        for (int j = 0; j < n; j++) {
            int p = j;
            for (int k = j + 1; k < n; k++) if (pn[k] > pn[p]) p = k;
            if (p != j) {
                System.arraycopy(cols, j * m, tmp, 0, m);
                System.arraycopy(cols, p * m, cols, j * m, m);
                System.arraycopy(tmp, 0, cols, p * m, m);
                int ti = perm[j]; perm[j] = perm[p]; perm[p] = ti;
                double td = pn[j]; pn[j] = pn[p]; pn[p] = td;
                td = pnRef[j]; pnRef[j] = pnRef[p]; pnRef[p] = td;
            }
            int jo = j * m + j, len = m - j - 1;
            double alpha = cols[jo];
            double xnorm = len > 0 ? Math.sqrt(VecOps.dot(cols, jo + 1, cols, jo + 1, len)) : 0;
            if (xnorm == 0) {
                tau[j] = 0; // already upper triangular in this column: H = I
            } else {
                double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
                tau[j] = (beta - alpha) / beta;
                VecOps.scale(1 / (alpha - beta), cols, jo + 1, len);
                cols[jo] = beta;
                for (int k = j + 1; k < n; k++) {
                    int ko = k * m + j;
                    double w = cols[ko] + VecOps.dot(cols, jo + 1, cols, ko + 1, len);
                    double tw = tau[j] * w;
                    cols[ko] -= tw;
                    VecOps.axpy(-tw, cols, jo + 1, cols, ko + 1, len);
                }
            }
            for (int k = j + 1; k < n; k++) { // downdate, recomputing when cancellation would eat it
                double r = cols[k * m + j];
                pn[k] -= r * r;
                if (pn[k] <= 1e-6 * pnRef[k]) {
                    int ko = k * m + j + 1;
                    pn[k] = pnRef[k] = len > 0 ? VecOps.dot(cols, ko, cols, ko, len) : 0;
                }
            }
        }
    }

    /** y <- Q y for a length-m vector. */
    void applyQ(double[] y) {
        for (int j = n - 1; j >= 0; j--) {
            if (tau[j] == 0) continue;
            int jo = j * m + j, len = m - j - 1;
            double w = y[j] + VecOps.dot(cols, jo + 1, y, j + 1, len);
            double tw = tau[j] * w;
            y[j] -= tw;
            VecOps.axpy(-tw, cols, jo + 1, y, j + 1, len);
        }
    }
}
