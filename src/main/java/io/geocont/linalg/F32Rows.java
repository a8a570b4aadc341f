package io.geocont.linalg;

import java.lang.foreign.MemorySegment;

/**
 * The fused Gram pass over float32 rows: a host {@link Matrix} (its array, no copy) or a float32
 * tensor mapped from a checkpoint file and read in place. Each goes to its own kernel set
 * ({@link F32RowKernels}: heap data never through the segment kernels).
 */
public final class F32Rows extends RowBlockGram {
    private final MemorySegment data;   // null for a host matrix
    private final float[] array;        // the host matrix's entries, null for a mapped tensor
    private final Matrix matrix;        // null for a mapped tensor
    private final String description;

    F32Rows(Matrix a) {
        super(a.rows(), a.cols());
        this.data = null;
        this.array = a.data();
        this.matrix = a;
        this.description = a.describe();
    }

    private F32Rows(MemorySegment data, int rows, int cols, String description) {
        super(rows, cols);
        if (data.byteSize() != 4L * rows * cols) throw new IllegalArgumentException(description + ": " + data.byteSize() + " bytes for " + rows + "x" + cols + " float32 values");
        this.data = data;
        this.array = null;
        this.matrix = null;
        this.description = description;
    }

    /**
     * A rows x cols little-endian float32 matrix, row-major, read in place from {@code data} (e.g.
     * a mapped file). Speed: keep to one kind of segment per JVM (geocont's readers pass mapped
     * files); once the kernels have seen both mapped and arena-allocated segments, every pass over
     * either runs about half as fast (see {@link F32RowKernels}).
     */
    public static F32Rows inPlace(MemorySegment data, int rows, int cols, String description) {
        return new F32Rows(data, rows, cols, description);
    }

    @Override protected void dots(int row, int count, float[] x, double[] out) {
        if (array != null) F32RowKernels.dots(array, row * cols, cols, count, cols, x, out);
        else F32RowKernels.dots(data, (long) row * cols, cols, count, cols, x, out);
    }

    @Override protected void accumulate(int row, int count, float[] w, float[] z) {
        if (array != null) F32RowKernels.accumulate(array, row * cols, cols, count, cols, w, z);
        else F32RowKernels.accumulate(data, (long) row * cols, cols, count, cols, w, z);
    }

    @Override protected void dots2(int row, int count, float[] x0, float[] x1, double[] out0, double[] out1) {
        if (array != null) F32RowKernels.dots2(array, row * cols, cols, count, cols, x0, x1, out0, out1);
        else F32RowKernels.dots2(data, (long) row * cols, cols, count, cols, x0, x1, out0, out1);
    }

    @Override protected void accumulate2(int row, int count, float[] w0, float[] w1, float[] z0, float[] z1) {
        if (array != null) F32RowKernels.accumulate2(array, row * cols, cols, count, cols, w0, w1, z0, z1);
        else F32RowKernels.accumulate2(data, (long) row * cols, cols, count, cols, w0, w1, z0, z1);
    }

    @Override protected double squares(int row, int count) {
        return array != null ? F32RowKernels.sumSquares(array, row * cols, count * cols)
                : F32RowKernels.sumSquares(data, (long) row * cols, (long) count * cols);
    }

    @Override protected boolean squaresFromPasses() { return matrix == null; } // a Matrix computes its own

    @Override public double frobeniusSq() { return matrix != null ? matrix.frobeniusSq() : super.frobeniusSq(); }

    @Override public String findNonFinite() { return matrix != null ? matrix.findNonFinite() : F32RowKernels.findNonFinite(data, rows, cols); }

    @Override public Matrix toMatrix() {
        if (matrix != null) return matrix;
        float[] out = new float[Math.multiplyExact(rows, cols)];
        MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, out, 0, out.length);
        Matrix m = new Matrix(rows, cols, out);
        String bad = m.findNonFinite();
        if (bad != null) throw new IllegalArgumentException(description + ": non-finite value " + bad);
        return m;
    }

    @Override public String describe() { return description; }
}
