package io.geocont.linalg;

/**
 * The fused A^T (A x) pass written plainly: for each row block, each group of four rows runs
 * its dots and then its update, one after the other, flushing the float32 partial sums every
 * {@link RowBlockGram#FLUSH_ROWS} rows, the blocks' sums added in block order. The pass tests
 * hold {@link RowBlockGram#applyGram} to these bits. The storage's kernels come in as lambdas
 * (they are protected, so each storage's test builds them in its own package).
 */
public final class GramPassReference {
    public interface Dots { void run(int row, int count, float[] x, double[] out); }
    public interface Accumulate { void run(int row, int count, float[] w, float[] z); }
    public interface Dots2 { void run(int row, int count, float[] x0, float[] x1, double[] out0, double[] out1); }
    public interface Accumulate2 { void run(int row, int count, float[] w0, float[] w1, float[] z0, float[] z1); }
    public interface Order { float[] toKernel(float[] x); }
    public interface Unorder { void fromKernel(double[] z); }

    private GramPassReference() { }

    public static void applyGram(int rows, int cols, Dots dots, Accumulate acc, Dots2 dots2, Accumulate2 acc2,
                                 Order order, Unorder unorder, float[][] xNatural, double[][] y, double[][] z) {
        int b = xNatural.length, blocks = RowBlockGram.blocks(rows);
        float[][] x = new float[b][];
        for (int c = 0; c < b; c++) x[c] = order.toKernel(xNatural[c]);
        double[][][] partial = new double[blocks][][];
        for (int blk = 0; blk < blocks; blk++) {
            int r0 = (int) ((long) rows * blk / blocks), r1 = (int) ((long) rows * (blk + 1) / blocks);
            double[][] zd = new double[b][cols];
            float[][] zf = new float[b][cols];
            double[] d = new double[4], d1 = new double[4];
            float[] w = new float[4], w1 = new float[4];
            int pending = 0;
            for (int i = r0; i < r1; i += 4) {
                int count = Math.min(4, r1 - i);
                if (b == 2) {
                    dots2.run(i, count, x[0], x[1], d, d1);
                    for (int r = 0; r < count; r++) {
                        y[0][i + r] = d[r]; w[r] = (float) d[r];
                        y[1][i + r] = d1[r]; w1[r] = (float) d1[r];
                    }
                    acc2.run(i, count, w, w1, zf[0], zf[1]);
                } else for (int c = 0; c < b; c++) {
                    dots.run(i, count, x[c], d);
                    for (int r = 0; r < count; r++) { y[c][i + r] = d[r]; w[r] = (float) d[r]; }
                    acc.run(i, count, w, zf[c]);
                }
                pending += count;
                if (pending >= RowBlockGram.FLUSH_ROWS || i + count >= r1) {
                    for (int c = 0; c < b; c++)
                        for (int j = 0; j < cols; j++) { zd[c][j] += zf[c][j]; zf[c][j] = 0; }
                    pending = 0;
                }
            }
            partial[blk] = zd;
        }
        for (int c = 0; c < b; c++) {
            System.arraycopy(partial[0][c], 0, z[c], 0, cols);
            for (int blk = 1; blk < blocks; blk++)
                for (int j = 0; j < cols; j++) z[c][j] += partial[blk][c][j];
            unorder.fromKernel(z[c]);
        }
    }

    /** Asserts that two arrays hold the same doubles, bit for bit (NaN payloads included). */
    public static void assertSameBits(double[] expected, double[] actual, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++)
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i]))
                org.junit.jupiter.api.Assertions.fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
    }
}
