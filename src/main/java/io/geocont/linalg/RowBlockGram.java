package io.geocont.linalg;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The fused A^T (A x) pass over a dense matrix stored row by row, written once for every
 * storage width: rows are cut into a fixed number of blocks (from the row count alone), each
 * block walks its rows four at a time (four dot products share each load of x, then one update
 * of the float32 accumulator takes all four rows), flushes into float64 every 64 rows, and the
 * blocks' float64 sums are added in block order. Subclasses supply only the two row kernels for
 * their storage (float32 array, bf16 or f16 bytes), so the matrix is read in its stored width.
 */
public abstract class RowBlockGram implements GramOperator {
    private static final int MIN_BLOCK_ROWS = 128;
    private static final int MAX_BLOCKS = 16;
    /** Rows per float32 partial sum of z before it is added into float64 (package-private for the pass tests). */
    static final int FLUSH_ROWS = 64;
    private static final long PARALLEL_MIN_ENTRIES = 1L << 14;

    protected final int rows;
    protected final int cols;

    /**
     * The float32 running sums of a block, per thread: the flushes leave them zero, so a pass
     * reuses them without clearing (fresh ones cost a memset of 16-32 KB per block and vector,
     * 3% of a 1024 x 4096 solve's samples). A block body runs no nested loop, so one thread never
     * holds two.
     */
    private static final ThreadLocal<float[][]> RUNNING = ThreadLocal.withInitial(() -> new float[0][]);
    /** The blocks' float64 sums of the last pass, taken by the next (null while a pass holds them). */
    private final AtomicReference<double[][][]> spareSums = new AtomicReference<>();

    protected RowBlockGram(int rows, int cols) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("matrix " + rows + "x" + cols + " has no entries");
        this.rows = rows;
        this.cols = cols;
    }

    @Override public final int rows() { return rows; }

    @Override public final int cols() { return cols; }

    /**
     * {@code out[r] = row(row + r) . x} for {@code r < count} (count 1..4), each accumulated at least
     * in float32 lanes flushed to float64. {@code out} has four slots; a kernel may use those from
     * {@code count} on as scratch.
     */
    protected abstract void dots(int row, int count, float[] x, double[] out);

    /** {@code z[j] += sum_r w[r] * row(row + r)[j]} for {@code r < count} (count 1..4). */
    protected abstract void accumulate(int row, int count, float[] w, float[] z);

    /**
     * Both vectors of a two-vector block at once (the rows are read and widened once for both):
     * out0[r] = row . x0, out1[r] = row . x1. The default runs {@link #dots} twice.
     */
    protected void dots2(int row, int count, float[] x0, float[] x1, double[] out0, double[] out1) {
        dots(row, count, x0, out0);
        dots(row, count, x1, out1);
    }

    /** z0 += sum_r w0[r] row_r and z1 += sum_r w1[r] row_r in one read of the rows. The default runs {@link #accumulate} twice. */
    protected void accumulate2(int row, int count, float[] w0, float[] w1, float[] z0, float[] z1) {
        accumulate(row, count, w0, z0);
        accumulate(row, count, w1, z1);
    }

    /** sum of the squares of rows [row, row + count), in float64 (read while the rows are in cache). */
    protected abstract double squares(int row, int count);

    private volatile double frobeniusSq = Double.NaN;

    /** Whether the first pass should also sum the squares (false where ||A||_F^2 is known otherwise). */
    protected boolean squaresFromPasses() { return true; }

    /** ||A||_F^2, from the first product pass when there was one (no extra read), else by its own pass. */
    @Override public double frobeniusSq() {
        double f = frobeniusSq;
        if (Double.isNaN(f)) {
            double[] part = new double[blocks(rows)];
            int blocks = part.length;
            Parallel.forEach(blocks, blk -> {
                int r0 = (int) ((long) rows * blk / blocks), r1 = (int) ((long) rows * (blk + 1) / blocks);
                double s = 0;
                for (int i = r0; i < r1; i += 4) s += squares(i, Math.min(4, r1 - i));
                part[blk] = s;
            });
            f = 0;
            for (double p : part) f += p;
            frobeniusSq = f;
        }
        return f;
    }

    /** Number of row blocks: depends on the row count only, never on the threads. */
    static int blocks(int rows) { return Math.max(1, Math.min(MAX_BLOCKS, rows / MIN_BLOCK_ROWS)); }

    /**
     * The order the row kernels want the columns in (x is given to them, and z comes from them,
     * in this order): natural by default; a storage may interleave columns to widen two packed
     * values per load (see StoredHalfMatrix). {@code toKernelOrder} maps x, {@code fromKernelOrder} z.
     */
    protected float[] toKernelOrder(float[] x) { return x; }

    protected void fromKernelOrder(double[] z) { }

    @Override public final void applyGram(float[][] xNatural, double[][] y, double[][] z) {
        int b = xNatural.length, blocks = blocks(rows);
        for (int c = 0; c < b; c++)
            if (xNatural[c].length != cols || y[c].length != rows || z[c].length != cols)
                throw new IllegalArgumentException("applyGram on " + describe() + ": vector " + c + " has the wrong length");
        float[][] x = new float[b][];
        for (int c = 0; c < b; c++) x[c] = toKernelOrder(xNatural[c]);
        double[][][] spare = spareSums.getAndSet(null); // two passes at once on one operator: the second allocates
        double[][][] partial = spare != null && spare[0].length >= b ? spare : new double[blocks][b][cols];
        boolean wantSquares = squaresFromPasses() && Double.isNaN(frobeniusSq);
        double[] sq = new double[blocks];
        // every pass with two or more blocks runs on the pool: since the crew hands a loop over in
        // about a microsecond, even a 256 x 64 pass gains (two vectors 11.0 -> 9.0 us), a 384 x 384
        // one 25 -> 18 us and a 768 x 768 one 111 -> 61 us, the two cores' own L2 caches holding
        // half the matrix each (JMH GramPassBenchmark, 1 vs 2 threads; before the crew, pool
        // hand-off cost 8-80 us and passes under 2^21 entries stayed inline). Below 2^14 entries
        // a pass takes a few microseconds at most. The bits do not depend on it: blocks come from
        // the row count and their sums are added in block order
        Parallel.forEach(blocks, (long) rows * cols * b >= PARALLEL_MIN_ENTRIES, blk -> {
            double[][] zd = partial[blk];
            float[][] zf = running(b, cols);
            try {
                sweep(blk, blocks, b, x, y, zd, zf, wantSquares, sq);
            } catch (RuntimeException | Error e) {
                RUNNING.remove(); // the running sums may be left non-zero: never reuse them
                throw e;
            }
        });
        if (wantSquares) {
            double f = 0;
            for (double p : sq) f += p;
            frobeniusSq = f;
        }
        for (int c = 0; c < b; c++) {
            double[] zc = z[c];
            System.arraycopy(partial[0][c], 0, zc, 0, cols);
            for (int blk = 1; blk < blocks; blk++) {
                double[] p = partial[blk][c];
                for (int j = 0; j < cols; j++) zc[j] += p[j];
            }
            fromKernelOrder(zc);
        }
        spareSums.set(partial); // only after a pass that finished: a failed one may leave them half-written
    }

    /** Block {@code blk}'s rows: y for them, and their share of z into zd (float32 running sums zf, flushed every 64 rows). */
    private void sweep(int blk, int blocks, int b, float[][] x, double[][] y, double[][] zd, float[][] zf, boolean wantSquares, double[] sq) {
        int r0 = (int) ((long) rows * blk / blocks), r1 = (int) ((long) rows * (blk + 1) / blocks);
        boolean first = true; // the first flush sets zd (0 + x, the bits of adding into zeros)
        double[] d = new double[4], d1 = new double[4];
        float[] w = new float[4], w1 = new float[4];
        int pending = 0;
        for (int i = r0; i < r1; i += 4) {
            int count = Math.min(4, r1 - i);
            if (wantSquares) sq[blk] += squares(i, count);
            if (b == 2) { // the block Lanczos case: one read of these rows serves both vectors
                dots2(i, count, x[0], x[1], d, d1);
                for (int r = 0; r < count; r++) {
                    y[0][i + r] = d[r]; w[r] = (float) d[r];
                    y[1][i + r] = d1[r]; w1[r] = (float) d1[r];
                }
                accumulate2(i, count, w, w1, zf[0], zf[1]);
            } else for (int c = 0; c < b; c++) {
                dots(i, count, x[c], d);
                for (int r = 0; r < count; r++) { y[c][i + r] = d[r]; w[r] = (float) d[r]; }
                accumulate(i, count, w, zf[c]);
            }
            pending += count;
            if (pending >= FLUSH_ROWS || i + count >= r1) {
                for (int c = 0; c < b; c++) {
                    double[] zc = zd[c];
                    float[] fc = zf[c];
                    if (first) for (int j = 0; j < cols; j++) { zc[j] = 0.0 + fc[j]; fc[j] = 0; }
                    else for (int j = 0; j < cols; j++) { zc[j] += fc[j]; fc[j] = 0; }
                }
                first = false;
                pending = 0;
            }
        }
    }

    /** This thread's running sums for b vectors of cols entries, all zero. */
    private static float[][] running(int b, int cols) {
        float[][] r = RUNNING.get();
        if (r.length < b || r[0].length < cols) {
            r = new float[Math.max(b, r.length)][Math.max(cols, r.length == 0 ? 0 : r[0].length)];
            RUNNING.set(r);
        }
        return r;
    }
}
