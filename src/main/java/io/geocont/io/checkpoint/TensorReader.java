package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.lang.foreign.MemorySegment;

/** Turns a validated {@link TensorInfo} inside a mapped file into a float32 matrix, bounds-checked. */
final class TensorReader {
    private TensorReader() { }

    /** Rows = shape[0], cols = product of the rest (a 1-D tensor is one row). */
    static Matrix read(MemorySegment file, TensorInfo t) throws CheckpointException {
        String where = t.file() + ": tensor '" + t.name() + "'";
        int[] shape = checkedShape(file, t);
        int rows = shape[0], cols = shape[1];
        float[] data = new float[rows * cols];
        t.dtype().toFloats(file, t.begin(), data, 0, rows * cols);
        checkFinite(where, data, cols);
        return new Matrix(rows, cols, data);
    }

    /** {rows, cols} of a readable 1-D or 2-D tensor whose bytes lie inside the file; a clear error otherwise. */
    static int[] checkedShape(MemorySegment file, TensorInfo t) throws CheckpointException {
        String where = t.file() + ": tensor '" + t.name() + "'";
        if (!t.dtype().readable())
            throw new CheckpointException(where + ": dtype " + t.dtype() + " cannot be read as weights (expected F32, F16, BF16 or F64)");
        if (t.rank() < 1 || t.rank() > 2)
            throw new CheckpointException(where + ": expected a 2-D weight matrix, shape is " + t.shapeString());
        long rows = t.rank() == 1 ? 1 : t.shape()[0];
        long cols = t.rank() == 1 ? t.shape()[0] : t.shape()[1];
        long n = rows * cols;
        if (n > Integer.MAX_VALUE - 8 || rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE)
            throw new CheckpointException(where + ": " + t.shapeString() + " has " + n + " elements, more than one Java array holds");
        if (n * t.dtype().size != t.byteLength())
            throw new CheckpointException(where + ": " + t.shapeString() + " " + t.dtype() + " needs " + n * t.dtype().size
                    + " bytes, the file gives " + t.byteLength());
        if (t.begin() < 0 || t.begin() + t.byteLength() > file.byteSize())
            throw new CheckpointException(where + ": bytes " + t.begin() + ".." + (t.begin() + t.byteLength())
                    + " lie outside the file (" + file.byteSize() + " bytes; truncated?)");
        return new int[] {(int) rows, (int) cols};
    }

    static void checkFinite(String where, float[] data, int cols) throws CheckpointException {
        if (io.geocont.linalg.F32RowKernels.allFinite(data, 0, data.length)) return; // the vectorized check; the scan below says where
        for (int i = 0; i < data.length; i++)
            if (!Float.isFinite(data[i]))
                throw new CheckpointException(where + ": non-finite value " + data[i] + " at index [" + (i / cols) + ", " + (i % cols) + "]");
    }
}
