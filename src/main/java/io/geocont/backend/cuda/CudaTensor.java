package io.geocont.backend.cuda;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A float32 tensor in device memory (one cudaMalloc). {@link #close()} frees it; the backend
 * frees every tensor still open when it is closed, so no path leaks device memory.
 */
public final class CudaTensor extends Tensor {
    private final CudaBackend backend;
    private long ptr;

    CudaTensor(CudaBackend backend, long ptr, int... shape) {
        super(shape);
        this.backend = backend;
        this.ptr = ptr;
    }

    /** Device address of element 0; throws once the tensor is closed. */
    public long ptr() {
        if (ptr == 0) throw new IllegalStateException("tensor " + this + " was closed (its device memory is freed)");
        return ptr;
    }

    /** Device address of element {@code offset}. */
    long ptr(long offset) { return ptr() + 4L * offset; }

    long bytes() { return 4L * size(); }

    @Override public Backend backend() { return backend; }

    @Override public void copyTo(float[] dst) {
        checkHostLength(dst);
        if (dst.length == 0) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(bytes(), 8);
            backend.download(host, ptr(), bytes());
            MemorySegment.copy(host, ValueLayout.JAVA_FLOAT, 0, dst, 0, dst.length);
        }
    }

    @Override public void copyFrom(float[] src) {
        checkHostLength(src);
        if (src.length == 0) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(bytes(), 8);
            MemorySegment.copy(src, 0, host, ValueLayout.JAVA_FLOAT, 0, src.length);
            backend.upload(ptr(), host, bytes());
        }
    }

    @Override public void close() {
        if (ptr != 0) {
            long p = ptr;
            ptr = 0;
            backend.release(this, p);
        }
    }

    boolean isOpen() { return ptr != 0; }
}
