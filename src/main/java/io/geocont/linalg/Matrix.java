package io.geocont.linalg;

import java.util.Arrays;

/**
 * A host float32 matrix, row-major, stored out x in (y = W x) for weights. The public currency
 * of the analysis API: no device or FFM type appears in it.
 */
public record Matrix(int rows, int cols, float[] data) implements GramOperator {
    public Matrix {
        if (rows < 0 || cols < 0 || (long) rows * cols != data.length)
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " needs " + ((long) rows * cols)
                    + " values, got " + data.length);
    }

    public static Matrix zeros(int rows, int cols) { return new Matrix(rows, cols, new float[Math.multiplyExact(rows, cols)]); }

    public float get(int i, int j) { return data[i * cols + j]; }

    public void set(int i, int j, float v) { data[i * cols + j] = v; }

    /** A new matrix holding the transpose (used to bring in x out checkpoints to out x in). */
    public Matrix transpose() {
        float[] t = new float[data.length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j];
        return new Matrix(cols, rows, t);
    }

    /** Squared Frobenius norm, accumulated in float64 (vectorized, fixed order). */
    public double frobeniusSq() { return F32RowKernels.sumSquares(data, 0, data.length); }

    /** True when every entry is finite. */
    public boolean allFinite() { return F32RowKernels.allFinite(data, 0, data.length); }

    /** The fused y = A x, z = A^T y pass (see {@link GramOperator}). */
    @Override public void applyGram(float[][] x, double[][] y, double[][] z) { new F32Rows(this).applyGram(x, y, z); }

    @Override public String findNonFinite() {
        for (int i = 0; i < data.length; i++)
            if (!Float.isFinite(data[i])) return data[i] + " at row " + (i / cols) + ", column " + (i % cols);
        return null;
    }

    @Override public Matrix toMatrix() { return this; }

    @Override public String describe() { return "float32 matrix " + rows + "x" + cols; }

    @Override public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override public int hashCode() { return 31 * (31 * rows + cols) + Arrays.hashCode(data); }

    @Override public String toString() { return "Matrix[" + rows + "x" + cols + "]"; }
}
