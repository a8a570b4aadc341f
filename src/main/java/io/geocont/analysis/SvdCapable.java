package io.geocont.analysis;

/**
 * Implemented by a compute backend that has its own SVD (the CUDA backend: cuSOLVER / GEMM-based
 * subspace iteration). Callers that analyze many matrices ask the backend first and fall back to
 * {@link Svd#exact()} / {@link Svd#topK(int)} on the host.
 */
public interface SvdCapable {
    /** An SVD strategy running on this backend: all triplets when {@code exact}, else the leading k. */
    Svd svd(int k, boolean exact);
}
