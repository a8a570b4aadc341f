package io.geocont.backend.cpu;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

/** A float32 tensor backed by a Java array, row-major. */
public final class CpuTensor extends Tensor {
    private final CpuBackend backend;
    private final float[] data;
    /** Set by close(): ops and copies refuse the tensor from then on, as a device backend's would. */
    private boolean closed;

    CpuTensor(CpuBackend backend, float[] data, int... shape) {
        super(shape);
        if (size() > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("CPU tensor too large for a Java array: " + size() + " elements");
        if (data.length != size())
            throw new IllegalArgumentException("CPU tensor data has " + data.length + " elements, shape needs " + size());
        this.backend = backend;
        this.data = data;
    }

    /** The backing array itself (not a copy): row-major, length {@link #size()}. */
    public float[] data() { return data; }

    @Override public Backend backend() { return backend; }

    @Override public float[] hostArrayOrNull() {
        checkOpen("hostArrayOrNull");
        return data;
    }

    /** The array stays reachable until the tensor is dropped; closing marks it unusable, so that a
     * use after close fails here on the CPU too instead of only on a device. */
    @Override public void close() { closed = true; }

    boolean isClosed() { return closed; }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException(what + " of " + this + ": the tensor was closed");
    }

    @Override public void copyTo(float[] dst) {
        checkOpen("copyTo");
        checkHostLength(dst);
        System.arraycopy(data, 0, dst, 0, data.length);
    }

    @Override public void copyFrom(float[] src) {
        checkOpen("copyFrom");
        checkHostLength(src);
        System.arraycopy(src, 0, data, 0, data.length);
    }
}
