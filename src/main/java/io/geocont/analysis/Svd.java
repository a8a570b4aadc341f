package io.geocont.analysis;

/**
 * An SVD strategy. {@link #exact()} is one-sided Jacobi with float64 accumulation;
 * {@link #topK(int)} is block subspace iteration for the leading k triplets of large matrices.
 */
public interface Svd {
    SvdResult decompose(Matrix a);

    /** Every singular triplet (complete = true). */
    static Svd exact() {
        throw new UnsupportedOperationException("exact SVD: not implemented yet");
    }

    /** The leading k triplets. */
    static Svd topK(int k) {
        throw new UnsupportedOperationException("top-k SVD: not implemented yet");
    }
}
