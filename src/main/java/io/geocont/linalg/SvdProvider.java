package io.geocont.linalg;

/**
 * Implemented by a compute backend that can run SVDs itself (the CUDA backend: cuSOLVER for
 * complete SVDs, its GEMMs as the {@link GramOperator} of the shared top-k algorithm). Callers
 * pass it to the SVD planner, which falls back to the host where it has nothing to offer.
 */
public interface SvdProvider {
    /** A complete SVD on this device, or null to use the host's. */
    Svd exact();

    /** The matrix on this device as a product operator for the shared top-k algorithm, or null. */
    GramOperator upload(Matrix a);
}
