package io.geocont.io.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One stored tensor: its name, type, shape and where its bytes are ({@code begin} is an absolute
 * file offset; the bytes are {@code begin .. begin + byteLength}).
 */
public record TensorInfo(Path file, String name, Dtype dtype, long[] shape, long begin, long byteLength) {
    public long elements() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public int rank() { return shape.length; }

    public String shapeString() { return Arrays.toString(shape); }

    @Override public String toString() { return name + " " + dtype + " " + shapeString() + " in " + file; }
}
