package io.geocont.analysis;

/**
 * An SVD strategy. {@link #exact()} is one-sided Jacobi with float64 accumulation (preconditioned
 * by a pivoted Householder QR); {@link #topK(int)} is block subspace iteration for the leading k
 * triplets of large matrices. Both throw {@link SvdNotConvergedException} rather than return an
 * unconverged answer silently.
 */
public interface Svd {
    SvdResult decompose(Matrix a);

    /** Every singular triplet (complete = true), with the default sweep limit and tolerance. */
    static Svd exact() {
        return exact(ExactOptions.DEFAULTS);
    }

    /** Every singular triplet, with explicit knobs (e.g. a sweep limit for tests). */
    static Svd exact(ExactOptions options) {
        return new JacobiSvd(options);
    }

    /** The leading k triplets, with default oversampling, tolerance and iteration limit. */
    static Svd topK(int k) {
        return topK(k, TopKOptions.DEFAULTS);
    }

    /** The leading k triplets, with explicit knobs. */
    static Svd topK(int k, TopKOptions options) {
        return new SubspaceSvd(k, options);
    }

    /**
     * Knobs of the exact solver.
     *
     * @param maxSweeps at most this many Jacobi sweeps, then {@link SvdNotConvergedException}
     * @param tolerance a pair is rotated while |cos| of its two columns exceeds this; values
     *                  &lt;= 0 mean the default {@code 4 * eps * n} for columns of length n
     */
    record ExactOptions(int maxSweeps, double tolerance) {
        public static final ExactOptions DEFAULTS = new ExactOptions(60, 0);

        public ExactOptions {
            if (maxSweeps < 1) throw new IllegalArgumentException("maxSweeps must be >= 1, got " + maxSweeps);
            if (!(tolerance < 1) || Double.isNaN(tolerance))
                throw new IllegalArgumentException("tolerance must be < 1, got " + tolerance);
        }
    }

    /**
     * Knobs of the top-k solver.
     *
     * @param oversampling extra columns carried beside the k wanted (speeds convergence when
     *                     s_k and s_{k+1} are close)
     * @param tolerance    stop when every wanted triplet has residual
     *                     ||A^T u_i - s_i v_i|| / s_1 at most this
     * @param maxIterations at most this many power steps, then {@link SvdNotConvergedException}
     * @param seed         seed of the Gaussian start block (same seed, same answer)
     */
    record TopKOptions(int oversampling, double tolerance, int maxIterations, long seed) {
        public static final TopKOptions DEFAULTS = new TopKOptions(8, 1e-5, 1000, 20260511L);

        public TopKOptions {
            if (oversampling < 0) throw new IllegalArgumentException("oversampling must be >= 0, got " + oversampling);
            if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
            if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }

        public TopKOptions withOversampling(int p) { return new TopKOptions(p, tolerance, maxIterations, seed); }
        public TopKOptions withTolerance(double t) { return new TopKOptions(oversampling, t, maxIterations, seed); }
        public TopKOptions withMaxIterations(int n) { return new TopKOptions(oversampling, tolerance, n, seed); }
        public TopKOptions withSeed(long s) { return new TopKOptions(oversampling, tolerance, maxIterations, s); }
    }
}
