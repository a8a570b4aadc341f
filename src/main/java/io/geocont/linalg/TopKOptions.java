package io.geocont.linalg;

/**
 * Knobs of the top-k solver (block Lanczos on A^T A with thick restarts, two vectors per pass
 * until the leading pair is resolved, then one).
 *
 * @param basis         largest Krylov basis kept before a thick restart; 0 picks
 *                      {@code max(2k + 16, 24)}, or {@code max(2k + 6, 8)} for matrices of fewer
 *                      than 768 rows (more vectors, fewer passes on close spectra; but on a small
 *                      matrix the basis work, which grows with the basis and the column count
 *                      while a pass grows with rows times columns, would cost more than the
 *                      few passes it saves)
 * @param tolerance     a triplet is converged when ||A^T u_i - s_i v_i|| / s_1 is at most this and
 *                      its angle bound (the residual over the gap to the next Ritz value) is at most
 *                      {@code sqrt(tolerance) / 3} (at the default 1e-5: |cos| to the true vector
 *                      at least 1 - 5e-7)
 * @param maxIterations at most this many passes over the matrix, then {@link #onLimit}
 * @param seed          seed of the start vector (same seed, same answer)
 * @param tieTolerance  s_1 / s_2 - 1 at most this makes the leading pair tied: its singular vectors
 *                      are not determined and continuity of them is undefined
 * @param onLimit       what happens at the iteration limit
 */
public record TopKOptions(int basis, double tolerance, int maxIterations, long seed, double tieTolerance, OnLimit onLimit) {
    // the angle bound is the vector criterion: a small residual alone says nothing when s_1 and s_2 are close
    /** At the iteration limit: throw {@link SvdNotConvergedException}, or return the estimate flagged. */
    public enum OnLimit { THROW, FLAG }

    public static final TopKOptions DEFAULTS = new TopKOptions(0, 1e-5, 1500, 20260511L, SvdResult.DEFAULT_TIE_TOLERANCE, OnLimit.THROW);

    public TopKOptions {
        if (basis < 0) throw new IllegalArgumentException("basis must be >= 0, got " + basis);
        if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        if (!(tieTolerance >= 0 && tieTolerance < 1)) throw new IllegalArgumentException("tieTolerance must be in [0, 1), got " + tieTolerance);
        if (onLimit == null) throw new IllegalArgumentException("onLimit must be given");
    }

    /** Below this many rows the default basis is the small one (see {@link #basis}). */
    public static final int SMALL_BASIS_ROWS = 768;

    /** The basis size actually used for k wanted triplets of a rows x cols operator. */
    public int basisFor(int k, int rows, int cols) {
        int wanted = basis > 0 ? Math.max(basis, k + 2)
                : rows < SMALL_BASIS_ROWS ? Math.max(2 * k + 6, 8) : Math.max(2 * k + 16, 24);
        return Math.min(Math.min(rows, cols), wanted);
    }

    public TopKOptions withBasis(int b) { return new TopKOptions(b, tolerance, maxIterations, seed, tieTolerance, onLimit); }
    public TopKOptions withTolerance(double t) { return new TopKOptions(basis, t, maxIterations, seed, tieTolerance, onLimit); }
    public TopKOptions withMaxIterations(int n) { return new TopKOptions(basis, tolerance, n, seed, tieTolerance, onLimit); }
    public TopKOptions withSeed(long s) { return new TopKOptions(basis, tolerance, maxIterations, s, tieTolerance, onLimit); }
    public TopKOptions withTieTolerance(double t) { return new TopKOptions(basis, tolerance, maxIterations, seed, t, onLimit); }
    public TopKOptions withOnLimit(OnLimit o) { return new TopKOptions(basis, tolerance, maxIterations, seed, tieTolerance, o); }
}
