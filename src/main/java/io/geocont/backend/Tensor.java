package io.geocont.backend;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order, owned by one {@link Backend}.
 * Storage is backend-specific (a Java array on the CPU, device memory on CUDA); the shape is
 * fixed at creation. Close a tensor to release device memory (a no-op on the CPU).
 */
public abstract class Tensor implements AutoCloseable {
    private final int[] shape;
    private final long size;

    protected Tensor(int... shape) {
        if (shape.length == 0) throw new IllegalArgumentException("a tensor needs at least one dimension");
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        this.shape = shape.clone();
        this.size = n;
    }

    public final int[] shape() { return shape.clone(); }
    public final int rank() { return shape.length; }
    public final int dim(int i) { return shape[i < 0 ? shape.length + i : i]; }
    public final long size() { return size; }

    /** Rows when viewed as a matrix: product of every dimension but the last. */
    public final int rows() { return (int) (size / Math.max(1, shape[shape.length - 1])); }
    /** Columns when viewed as a matrix: the last dimension. */
    public final int cols() { return shape[shape.length - 1]; }

    public abstract Backend backend();

    /** Copies the whole tensor to a new host array (synchronizes with the device). */
    public final float[] toArray() {
        float[] out = new float[Math.toIntExact(size)];
        copyTo(out);
        return out;
    }

    /**
     * Copies the whole tensor into a host array of exactly {@link #size()} elements (synchronizes
     * with the device): what a loop that reads a tensor every step uses to keep one buffer
     * instead of allocating a copy per step.
     */
    public abstract void copyTo(float[] dst);

    /**
     * The host array that holds this tensor's values, row-major, when the backend keeps one (the
     * CPU backend), for reading without a copy; null when the values live elsewhere (a device).
     * It is the tensor itself, not a snapshot: read it before the next op writes the tensor.
     */
    public float[] hostArrayOrNull() { return null; }

    /** Overwrites the whole tensor from a host array of exactly {@link #size()} elements. */
    public abstract void copyFrom(float[] src);

    @Override public void close() { }

    @Override public String toString() {
        return getClass().getSimpleName() + Arrays.toString(shape);
    }

    protected final void checkHostLength(float[] src) {
        if (src.length != size)
            throw new IllegalArgumentException("host array has " + src.length + " elements, tensor "
                    + Arrays.toString(shape) + " needs " + size);
    }
}
