package io.geocont.backend.cuda;

/**
 * A CUDA, cuBLAS or cuSOLVER call returned an error status. The message names the call, the
 * numeric status and its symbolic name (e.g. {@code cudaMalloc(...) failed: 2
 * cudaErrorMemoryAllocation: out of memory}).
 */
public final class CudaException extends RuntimeException {
    private final String call;
    private final int status;

    public CudaException(String call, int status, String name, String description) {
        super(call + " failed: " + status + " " + name + (description == null || description.isEmpty() ? "" : ": " + description));
        this.call = call;
        this.status = status;
    }

    /** The API call that failed, with its interesting arguments. */
    public String call() { return call; }

    /** The raw status code. */
    public int status() { return status; }
}
