package io.geocont.linalg;

/**
 * An SVD strategy. Every implementation keeps one contract: it returns a converged answer, or
 * throws {@link SvdNotConvergedException} carrying its estimate, or (only when the caller asked
 * for it with {@link TopKOptions.OnLimit#FLAG}) returns the estimate with
 * {@link SvdResult#converged()} false. Never a silent unconverged answer. The strategies
 * themselves live in {@code io.geocont.linalg.svd.Svds}.
 */
public interface Svd {
    /** Decomposes a float32 host matrix. */
    SvdResult decompose(Matrix a);

    /**
     * Decomposes a matrix read through fused row passes (a checkpoint tensor in its stored
     * width, a device matrix). Strategies that need the entries themselves materialize them.
     */
    default SvdResult decompose(GramOperator a) {
        return decompose(a instanceof Matrix m ? m : a.toMatrix());
    }
}
