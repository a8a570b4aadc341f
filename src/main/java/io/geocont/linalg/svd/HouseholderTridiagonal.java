package io.geocont.linalg.svd;

import java.util.Arrays;

/**
 * Householder reduction of a symmetric matrix to tridiagonal form, A = Q T Q^T, with Q formed
 * explicitly: the first half of the Gram-eigen SVD and of the Lanczos Ritz problem (tql2 then
 * diagonalizes T, rotating Q's columns). LAPACK's dsytd2 (lower) and dorgtr in the order that
 * suits row-major storage and SIMD: the full symmetric matrix is kept, so both the product
 * B v (a combination of B's rows) and the rank-2 update B -= v w^T + w v^T need no
 * reductions, and the
 * update of one step is applied in the same pass over the trailing block as the next step's
 * product (one read and write of the block per step instead of three). Q is accumulated
 * backwards, H_0 (H_1 (... H_{n-3})), in the same kind of fused pass. The passes run column
 * block by column block down all rows, so the product's sums stay in registers. About twice
 * the flops of a half-storage reduction, and still 0.45 ms against the 0.8 ms of the JAMA
 * tred2 it replaced on the 128 x 128 per-epoch Gram matrices (EISPACK's name for the same
 * algorithm), where every pass fits in L2 and short reductions dominated.
 */
final class HouseholderTridiagonal {
    private HouseholderTridiagonal() { }

    /**
     * Reduces the full symmetric n x n matrix {@code a} (both triangles, overwritten): on return
     * d holds T's diagonal, e[i] the entry T[i-1][i] for i >= 1 (e[0] = 0: JAMA's convention,
     * which tql2 expects) and a[i] is column i of Q (a = Q^T), the rows tql2 rotates.
     */
    static void reduce(double[][] a, int n, double[] d, double[] e) {
        double[] tau = new double[n];
        tridiagonalize(a, n, d, e, tau);
        formQTransposed(a, n, tau);
    }

    /** The reduction alone: T into d and e, the reflections' v_k into a[k][k+1..] and tau_k into tau. */
    static void tridiagonalize(double[][] a, int n, double[] d, double[] e, double[] tau) {
        if (n == 0) return;
        double[] v = new double[n], w = new double[n], vp = new double[n], wp = new double[n], p = new double[n];
        // (vp, wp): the last step's update, not yet applied to rows > k (zero when there is none)
        for (int k = 0; k < n - 2; k++) {
            double[] row = a[k];
            int lo = k + 1, len = n - lo;
            EigenKernels.rank2(row, vp[k], wp[k], vp, wp, k, len + 1);
            d[k] = row[k];
            double alpha = row[lo], amax = 0;
            for (int c = lo + 1; c < n; c++) amax = Math.max(amax, Math.abs(row[c]));
            if (amax == 0) {                // row k is tridiagonal already: no reflection (tau 0)
                e[lo] = alpha;
                for (int r = lo; r < n; r++) EigenKernels.rank2(a[r], vp[r], wp[r], vp, wp, lo, len);
                Arrays.fill(vp, 0);
                Arrays.fill(wp, 0);
                continue;
            }
            // the reflection H = I - tau v v^T (v[lo] = 1) with H row[lo..] = beta e_lo (dlarfg, scaled against over/underflow)
            double inv = 1 / amax, ss = 0;
            for (int c = lo + 1; c < n; c++) { double t = row[c] * inv; ss = Math.fma(t, t, ss); }
            double beta = -Math.copySign(Math.hypot(alpha, amax * Math.sqrt(ss)), alpha);
            double t = (beta - alpha) / beta, scal = 1 / (alpha - beta);
            tau[k] = t;
            e[lo] = beta;
            Arrays.fill(v, 0, lo, 0);
            v[lo] = 1;
            for (int c = lo + 1; c < n; c++) v[c] = row[c] * scal;
            System.arraycopy(v, lo, row, lo, len);          // row k keeps v for Q
            // the pending update of the trailing block B and then p = B v, in one pass. It may start
            // left of B's columns (whole vector blocks): those entries of rows > k lie left of their
            // diagonals, which nothing reads again, and p there is not used
            int from = EigenKernels.blockStart(lo, n);
            EigenKernels.rank2AndProduct(a, lo, n, vp, wp, v, p, from, n - from);
            // w = tau p - (tau^2 / 2)(p . v) v, and B <- B - v w^T - w v^T (applied in the next pass)
            VecOps.scale(t, p, lo, len);
            double gamma = -0.5 * t * VecOps.dot(p, lo, v, lo, len);
            Arrays.fill(w, 0, lo, 0);
            for (int c = lo; c < n; c++) w[c] = Math.fma(gamma, v[c], p[c]);
            double[] s = vp; vp = v; v = s;
            s = wp; wp = w; w = s;
        }
        if (n >= 2) {
            double[] r0 = a[n - 2], r1 = a[n - 1];
            EigenKernels.rank2(r0, vp[n - 2], wp[n - 2], vp, wp, n - 2, 2);
            EigenKernels.rank2(r1, vp[n - 1], wp[n - 1], vp, wp, n - 1, 1);
            d[n - 2] = r0[n - 2];
            d[n - 1] = r1[n - 1];
            e[n - 1] = r0[n - 1];
        } else {
            d[0] = a[0][0];
        }
        e[0] = 0;
    }

    /**
     * Q = H_0 H_1 ... H_{n-3} (H_k = I - tau_k v_k v_k^T, v_k in a[k][k+1..], v_k[k+1] = 1),
     * accumulated backwards into row-major q: step k forms y = v_k^T Q over rows k+1.. (the
     * product so far is the identity outside rows and columns k+2..) and then Q -= tau_k v_k y^T.
     * That update waits for the next step's pass, which applies it row by row while it forms the
     * next y (one pass over the block per step). q is then written transposed into a.
     */
    static void formQTransposed(double[][] a, int n, double[] tau) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) q[i][i] = 1;
        double[] y = new double[n], yp = new double[n], alpha = new double[n], beta = new double[n];
        int pk = -1;                                   // the step whose update is pending (its y in yp), or none
        for (int k = n - 3; k >= 0; k--) {
            if (tau[k] == 0) continue;                 // H_k = I
            double[] vk = a[k];
            int lo = k + 1, len = n - lo;
            // rows up to the pending step are identity rows there (alpha 0), yp is zero left of its columns
            for (int r = lo; r < n; r++) {
                alpha[r] = pk >= 0 && r > pk ? -tau[pk] * a[pk][r] : 0;
                beta[r] = vk[r];
            }
            // whole vector blocks, starting left of the block where needed: q's rows > k are zero
            // there and yp is too, so those entries stay zero, and so does y there
            int from = EigenKernels.blockStart(lo, n);
            EigenKernels.rank1AndCombination(q, lo, n, alpha, yp, beta, y, from, n - from);
            double[] t = yp; yp = y; y = t;
            Arrays.fill(yp, 0, lo, 0);                 // the next step's columns start further left
            pk = k;
        }
        if (pk >= 0)
            for (int r = pk + 1; r < n; r++) VecOps.axpy(-tau[pk] * a[pk][r], yp, pk + 1, q[r], pk + 1, n - pk - 1);
        for (int i = 0; i < n; i++) {
            double[] ai = a[i];
            for (int c = 0; c < n; c++) ai[c] = q[c][i];
        }
    }
}
