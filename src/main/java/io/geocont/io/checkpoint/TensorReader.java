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
        checkArraySize(where, rows, cols);
        long n = rows * cols;
        if (n * t.dtype().size != t.byteLength())
            throw new CheckpointException(where + ": " + t.shapeString() + " " + t.dtype() + " needs " + n * t.dtype().size
                    + " bytes, the file gives " + t.byteLength());
        checkInFile(where, t.begin(), t.byteLength(), file.byteSize());
        return new int[] {(int) rows, (int) cols};
    }

    /** A rows x cols float32 matrix must fit one Java array (every reader checks this before allocating). */
    static void checkArraySize(String where, long rows, long cols) throws CheckpointException {
        if (rows < 0 || cols < 0 || rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE
                || (cols > 0 && rows > (Integer.MAX_VALUE - 8) / cols))
            throw new CheckpointException(where + ": " + rows + "x" + cols + " has more elements (or a dimension above 2^31)"
                    + " than one Java array holds");
    }

    /** Bytes [begin, begin + length) must lie inside a file of fileSize bytes. */
    static void checkInFile(String where, long begin, long length, long fileSize) throws CheckpointException {
        if (begin < 0 || length < 0 || begin > fileSize - length)
            throw new CheckpointException(where + ": bytes " + begin + ".." + (begin + length)
                    + " lie outside the file (" + fileSize + " bytes; truncated?)");
    }

    static void checkFinite(String where, float[] data, int cols) throws CheckpointException {
        if (io.geocont.linalg.F32RowKernels.allFinite(data, 0, data.length)) return; // the vectorized check; the scan below says where
        for (int i = 0; i < data.length; i++)
            if (!Float.isFinite(data[i]))
                throw new CheckpointException(where + ": non-finite value " + data[i] + " at index [" + (i / cols) + ", " + (i % cols) + "]");
    }
}
