package io.geocont.linalg;

/** The fused Gram pass over a host float32 {@link Matrix}. */
final class F32Rows extends RowBlockGram {
    private final Matrix a;

    F32Rows(Matrix a) {
        super(a.rows(), a.cols());
        this.a = a;
    }

    @Override protected void dots(int row, int count, float[] x, double[] out) {
        F32RowKernels.dots(a.data(), row * cols, cols, count, cols, x, out);
    }

    @Override protected void accumulate(int row, int count, float[] w, float[] z) {
        F32RowKernels.accumulate(a.data(), row * cols, cols, count, cols, w, z);
    }

    @Override protected void dots2(int row, int count, float[] x0, float[] x1, double[] out0, double[] out1) {
        F32RowKernels.dots2(a.data(), row * cols, cols, count, cols, x0, x1, out0, out1);
    }

    @Override protected void accumulate2(int row, int count, float[] w0, float[] w1, float[] z0, float[] z1) {
        F32RowKernels.accumulate2(a.data(), row * cols, cols, count, cols, w0, w1, z0, z1);
    }

    @Override protected double squares(int row, int count) {
        double s = 0;
        float[] d = a.data();
        for (int i = row * cols, end = (row + count) * cols; i < end; i++) s += (double) d[i] * d[i];
        return s;
    }

    @Override protected boolean squaresFromPasses() { return false; } // the Matrix computes its own

    @Override public double frobeniusSq() { return a.frobeniusSq(); }

    @Override public String describe() { return a.describe(); }
}
