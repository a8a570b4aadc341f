package io.geocont.analysis;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Top-k SVD by block subspace iteration on A^T A, never formed: each step is one fused pass
 * over the rows of A computing Y = A V and Z = A^T Y (a row is used twice while it is in
 * cache). Rayleigh-Ritz every step: the small SVD of Y = U_y S W^T (exact Jacobi) gives Ritz
 * triplets u_i = U_y e_i, s_i, v_i = V W e_i, and Z W = A^T A V W gives their residuals
 * ||A^T u_i - s_i v_i|| / s_1 for free; the next block is the orthonormalized Z W.
 *
 * <p>Numerics: A stays float32; products use float32 FMAs in short runs flushed into float64
 * sums (dot products every 1024 terms, the A^T Y accumulation every 16 rows), the block and the
 * small problems are float64. Parallel over 8 fixed row blocks whose partial sums are added in
 * block order, so the answer does not depend on the thread count. Start block: Gaussian from
 * the seed. Directions with s_i below 1e-6 s_1 are numerically null at float32 precision and
 * count as converged.
 */
final class SubspaceSvd implements Svd {
    private static final int ROW_BLOCKS = 8;
    private static final double NULL_RATIO = 1e-6;

    private final int k;
    private final TopKOptions options;

    SubspaceSvd(int k, TopKOptions options) {
        if (k < 1) throw new IllegalArgumentException("top-k SVD needs k >= 1, got " + k);
        this.k = k;
        this.options = options;
    }

    @Override public SvdResult decompose(Matrix a) {
        int m = a.rows(), n = a.cols();
        double frob = a.frobeniusSq();
        int r = Math.min(m, n);
        if (r == 0) return new SvdResult(m, n, new double[0], new double[0][], new double[0][], frob, false);
        if (!a.allFinite()) throw new IllegalArgumentException("top-k SVD of a " + m + "x" + n + " matrix with a non-finite entry");
        int kk = Math.min(k, r);
        int kp = Math.min(kk + options.oversampling(), r);
        if (kp >= r || (long) m * n <= 4096) return truncate(Svd.exact().decompose(a), kk);
        return iterate(a, kk, kp, frob);
    }

    private static SvdResult truncate(SvdResult full, int kk) {
        double[] s = java.util.Arrays.copyOf(full.s(), kk);
        double[][] u = java.util.Arrays.copyOf(full.u(), kk), v = java.util.Arrays.copyOf(full.v(), kk);
        return new SvdResult(full.rows(), full.cols(), s, u, v, full.frobeniusSq(), kk == full.s().length);
    }

    private SvdResult iterate(Matrix a, int kk, int kp, double frob) {
        int m = a.rows(), n = a.cols();
        SplittableRandom rng = new SplittableRandom(options.seed());
        double[][] v = new double[kp][n];
        for (double[] col : v) for (int j = 0; j < n; j++) col[j] = rng.nextGaussian();
        orthonormalize(v, rng);
        double worst = Double.NaN;
        SvdResult estimate = null;
        for (int it = 1; it <= options.maxIterations(); it++) {
            float[][] vt = new float[kp][n];
            for (int c = 0; c < kp; c++) for (int j = 0; j < n; j++) { vt[c][j] = (float) v[c][j]; v[c][j] = vt[c][j]; }
            double[] y = new double[m * kp];
            double[][] z = fusedPass(a, vt, y);
            SvdResult small = JacobiSvd.decompose(y, m, kp, 0, Svd.ExactOptions.DEFAULTS);
            double[] s = small.s();
            double[][] ritzV = combine(v, small.v(), n);   // V W
            double[][] zw = combine(z, small.v(), n);      // A^T A V W
            double s1 = s[0];
            worst = 0;
            for (int i = 0; i < kk; i++) {
                if (s1 == 0 || s[i] <= NULL_RATIO * s1) continue;
                double res = 0;
                for (int j = 0; j < n; j++) { double d = zw[i][j] - s[i] * s[i] * ritzV[i][j]; res += d * d; }
                worst = Math.max(worst, Math.sqrt(res) / (s[i] * s1));
            }
            estimate = result(m, n, kk, s, small.u(), ritzV, frob);
            if (worst <= options.tolerance()) return estimate;
            v = zw;
            orthonormalize(v, rng);
        }
        throw new SvdNotConvergedException("top-" + kk + " SVD of a " + m + "x" + n + " matrix did not converge in "
                + options.maxIterations() + " iterations (residual " + worst + " > tolerance " + options.tolerance()
                + "); s_" + kk + " and s_" + (kp + 1) + " are probably too close: raise the oversampling or"
                + " maxIterations, or use the exact SVD", estimate, worst);
    }

    private static SvdResult result(int m, int n, int kk, double[] s, double[][] u, double[][] ritzV, double frob) {
        double[] sk = new double[kk];
        double[][] uk = new double[kk][], vk = new double[kk][];
        for (int i = 0; i < kk; i++) {
            sk[i] = s[i];
            uk[i] = u[i].clone();
            double[] vi = ritzV[i].clone();
            double nv = Math.sqrt(VecOps.dot(vi, 0, vi, 0, n));
            if (nv > 0) VecOps.scale(1 / nv, vi, 0, n);
            vk[i] = vi;
        }
        return new SvdResult(m, n, sk, uk, vk, frob, false);
    }

    /** out_i = sum_c w_i[c] basis_c. */
    private static double[][] combine(double[][] basis, double[][] w, int n) {
        int kp = basis.length;
        double[][] out = new double[w.length][n];
        for (int i = 0; i < w.length; i++)
            for (int c = 0; c < kp; c++) VecOps.axpy(w[i][c], basis[c], 0, out[i], 0, n);
        return out;
    }

    /** Modified Gram-Schmidt, twice; a collapsed column is replaced by a fresh random one. */
    static void orthonormalize(double[][] cols, SplittableRandom rng) {
        int n = cols[0].length;
        for (int c = 0; c < cols.length; c++) {
            for (int attempt = 0; ; attempt++) {
                double[] x = cols[c];
                double before = Math.sqrt(VecOps.dot(x, 0, x, 0, n));
                for (int pass = 0; pass < 2; pass++)
                    for (int b = 0; b < c; b++) VecOps.axpy(-VecOps.dot(cols[b], 0, x, 0, n), cols[b], 0, x, 0, n);
                double after = Math.sqrt(VecOps.dot(x, 0, x, 0, n));
                if (after > 1e-10 * before && after > 0) { VecOps.scale(1 / after, x, 0, n); break; }
                if (attempt > 10) throw new IllegalStateException("cannot orthonormalize a block of " + cols.length + " vectors in R^" + n);
                for (int j = 0; j < n; j++) x[j] = rng.nextGaussian();
            }
        }
    }

    /** y (row-major m x kp) = A V; returns Z = A^T y as kp rows of length n. */
    private static double[][] fusedPass(Matrix a, float[][] vt, double[] y) {
        int m = a.rows(), n = a.cols(), kp = vt.length;
        int blocks = Math.min(ROW_BLOCKS, m);
        double[][][] partial = new double[blocks][][];
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int r0 = (int) ((long) b * m / blocks), r1 = (int) ((long) (b + 1) * m / blocks);
            partial[b] = FloatKernels.rowBlock(a.data(), n, r0, r1, vt, y);
        });
        double[][] z = partial[0];
        for (int b = 1; b < blocks; b++)
            for (int c = 0; c < kp; c++) VecOps.axpy(1, partial[b][c], 0, z[c], 0, n);
        return z;
    }
}
