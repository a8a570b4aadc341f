package io.geocont.backend.cpu;

import io.geocont.linalg.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on Java arrays, C = alpha op(A) op(B) + beta C on row-major sub-blocks,
 * in the GotoBLAS style: op(B) is packed in KC x NR column panels (so every transpose of B
 * becomes the same canonical layout), and a register-blocked MR x NR micro-kernel (6 x 4 or 8 x 2
 * Vector API vectors, see {@link #WIDE}) accumulates a KC-long product in registers. When a task's tiles span few B
 * panels (n up to 256), op(A) is read in place through two strides (rows and k), so neither
 * transpose of A costs a copy (only a ragged last row panel is copied, zero-padded): at the
 * toy MLP's 128 x 128 x 128 the copies cost as much as the arithmetic. Wider products pack op(A)
 * in MC x KC blocks of MR-row panels, which are then reused across all the B panels.
 *
 * <p>Determinism: C is first scaled by beta; then for each KC block in increasing k order,
 * every element gets C += alpha * (its KC-block dot product, summed in k order with FMA) (at
 * beta = 0 the first block's fma(alpha, dot, 0) is written directly). Threads split the fixed
 * MR x NR tile grid, never the k dimension, so results are bitwise identical for every thread
 * count.
 */
final class Gemm {
    private Gemm() { }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /**
     * Which micro-kernel: 6 rows x 4 vectors where the ISA has 32 vector registers (AVX-512,
     * which is what 16-float vectors mean on x86, and AArch64): 24 accumulators, one broadcast of
     * A per 4 FMAs. Else 8 x 2 (16 accumulators, one broadcast per 2 FMAs), which fits 16 ymm
     * registers better. On this repository's AVX-512 machine the 6 x 4 kernel alone ran 128 x 128
     * x 128 at 182-186 GFLOP/s against 150-155 for 8 x 2 (the broadcasts share the FMA ports).
     * The shape changes no bits: every C element is still one FMA chain over k per KC block.
     */
    static final boolean WIDE = V >= 16 || "aarch64".equals(System.getProperty("os.arch"));
    static final int MR = WIDE ? 6 : 8;
    static final int NR = (WIDE ? 4 : 2) * V;
    private static final int KC = 256;
    private static final int NC = 4096;
    /**
     * Below this many multiply-adds a call runs on the caller's thread. A 128 x 128 x 128 product
     * (2^21, ~40 us) split over 2 threads took as long as on one even with the worker awake (each
     * thread spent ~40 us of CPU: packing, two hand-offs and the wait eat the half saved), and
     * longer when it was not, so the toy MLP's block GEMMs stay whole.
     */
    private static final long PARALLEL_MIN_FMAS = 1L << 22;
    /** Tiles blocks per thread on the parallel path: enough to even out a core that is busy elsewhere. */
    private static final int UNITS_PER_THREAD = 4;
    /** The most floats of op(B) packed at once for the threads to share (8 MB). */
    private static final int B_SHARED_MAX_FLOATS = 1 << 21;

    private static final int MC = 144 / MR * MR;
    /** Up to this many B panels per task (256 columns), op(A) is read in place; beyond, packing it pays off. */
    private static final int IN_PLACE_MAX_PANELS = Math.max(1, 256 / NR);

    private static final ThreadLocal<float[]> A_PACK = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> A_EDGE = ThreadLocal.withInitial(() -> new float[MR * KC]);
    private static final ThreadLocal<float[][]> B_PACK = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    /** Whether splitting pays now, learnt from the calls' own times (see {@link SplitPayoff}). */
    private static final SplitPayoff PAYOFF = new SplitPayoff();

    /**
     * {@code maxChunks}: the most threads one call may use (1 = on the caller's thread); products
     * big enough to split are split when that has been faster lately ({@link SplitPayoff}).
     */
    static void gemm(int maxChunks, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc) {
        gemm(maxChunks, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc, null);
    }

    /**
     * As above, then {@code epi} on every element of C (which must be all of epi's z: offset 0,
     * ldc = n), applied to each tile's rows right after their last k block.
     */
    static void gemm(int maxChunks, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc, BiasRelu epi) {
        long fmas = (long) m * n * k;
        if (maxChunks <= 1 || fmas < PARALLEL_MIN_FMAS) {
            gemm(1, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc, false, epi);
            return;
        }
        boolean split = PAYOFF.split(fmas);
        long t0 = System.nanoTime();
        gemm(split ? maxChunks : 1, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc, false, epi);
        PAYOFF.record(fmas, split, System.nanoTime() - t0);
    }

    /**
     * As above, on {@code threads} threads exactly when {@code threads > 1} and the product has at
     * least PARALLEL_MIN_FMAS multiply-adds ({@code forced}: whatever its size, for tests).
     */
    static void gemm(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc, boolean forced) {
        gemm(threads, transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc, forced, null);
    }

    /** As above, then {@code epi} as in the first form (null: none). */
    static void gemm(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc, boolean forced, BiasRelu epi) {
        if (m == 0 || n == 0) return;
        if (epi != null && (offC != 0 || ldc != n || epi.z != c || epi.cols != n))
            throw new IllegalArgumentException("gemm epilogue: C must be the whole of its z (offset 0, ldc = n)");
        boolean overwrite = beta == 0f && k > 0 && alpha != 0f;   // the first KC block writes C without reading it
        if (!overwrite) scaleC(c, offC, ldc, m, n, beta);
        if (k == 0 || alpha == 0f) {
            if (epi != null) for (int i = 0; i < m; i++) epi.apply(i * n, n);
            return;
        }
        // element (i, p) of op(A) is a[offA + i * rs + p * cs]
        int rs = transA ? 1 : lda, cs = transA ? lda : 1;
        if (threads > 1 && (forced || (long) m * n * k >= PARALLEL_MIN_FMAS)) {
            parallel(threads, transB, m, n, k, alpha, a, offA, rs, cs, b, offB, ldb, overwrite, c, offC, ldc, epi);
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int nPanels = (nc + NR - 1) / NR;
            float[] bp = take(B_PACK, KC * nPanels * NR);
            try {
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    packB(transB, b, offB, ldb, pc, kc, jc, nc, 0, nPanels, bp, 0);
                    computeBlock(a, offA + pc * cs, rs, cs, kc, 0, m, bp, 0, 0, nPanels, nc, c, offC + jc, ldc, alpha,
                            overwrite && pc == 0, pc + kc == k ? epi : null);
                }
            } finally {
                giveBack(B_PACK, bp);
            }
        }
    }

    /**
     * The same products on up to {@code threads} threads, two parallel loops per k span: first all
     * of op(B) for the span is packed once, shared (one task per KC block and B panel), then the
     * tile grid is cut into blocks of rows (or, when m is short, of B panels) that each run every KC
     * block of the span in k order. A block's C stays in cache across the span, the threads never
     * pack the same data twice, and a thread that another process holds up delays one small block,
     * not half the product. Each C element sees the same operations as on one thread.
     */
    private static void parallel(int threads, boolean transB, int m, int n, int k, float alpha,
                                 float[] a, int offA, int rs, int cs, float[] b, int offB, int ldb,
                                 boolean overwrite, float[] c, int offC, int ldc, BiasRelu epi) {
        int mPanels = (m + MR - 1) / MR, target = UNITS_PER_THREAD * threads;
        int kBlocks = (k + KC - 1) / KC;
        // by k block when the tile grid is short (under 128 row panels on 2 threads: the weight
        // gradients) and k gives each thread two blocks or more; the partial sums (one m x n slice
        // per block) and B packed whole must fit their caps
        if (n <= NC && mPanels < target * 16 && kBlocks >= 2 * threads && (long) kBlocks * m * n <= K_SPLIT_MAX_FLOATS
                && (long) kBlocks * KC * ((n + NR - 1) / NR) * NR <= B_SHARED_MAX_FLOATS) {
            overK(threads, transB, m, n, k, alpha, a, offA, rs, cs, b, offB, ldb, overwrite, c, offC, ldc, epi);
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            final int jc0 = jc, nc = Math.min(NC, n - jc), nPanels = (nc + NR - 1) / NR;
            int blockFloats = KC * nPanels * NR;
            int spanBlocks = Math.max(1, Math.min((k + KC - 1) / KC, B_SHARED_MAX_FLOATS / blockFloats));
            float[] bp = take(B_PACK, spanBlocks * blockFloats);
            try {
                // rows when there are enough of them, else B panels
                boolean byRows = mPanels >= target || mPanels >= nPanels;
                int along = byRows ? mPanels : nPanels, units = Math.min(along, target);
                for (int ps = 0; ps < k; ps += spanBlocks * KC) {
                    final int ps0 = ps, blocks = Math.min(spanBlocks, (k - ps + KC - 1) / KC);
                    Parallel.forEachBounded(blocks * nPanels, threads, u -> {
                        int blk = u / nPanels, q = u % nPanels, pc = ps0 + blk * KC;
                        packB(transB, b, offB, ldb, pc, Math.min(KC, k - pc), jc0, nc, q, q + 1, bp, blk * blockFloats);
                    });
                    Parallel.forEachBounded(units, threads, u -> {
                        int lo = (int) ((long) along * u / units), hi = (int) ((long) along * (u + 1) / units);
                        int i0 = byRows ? lo * MR : 0, i1 = byRows ? Math.min(m, hi * MR) : m;
                        int q0 = byRows ? 0 : lo, q1 = byRows ? nPanels : hi;
                        for (int blk = 0; blk < blocks; blk++) {
                            int pc = ps0 + blk * KC;
                            computeBlock(a, offA + pc * cs, rs, cs, Math.min(KC, k - pc), i0, i1, bp, blk * blockFloats, q0, q1, nc,
                                    c, offC + jc0, ldc, alpha, overwrite && pc == 0, pc + KC >= k ? epi : null);
                        }
                    });
                }
            } finally {
                giveBack(B_PACK, bp);
            }
        }
    }

    /** The most floats of per-k-block partial products {@link #overK} keeps (16 MB). */
    private static final int K_SPLIT_MAX_FLOATS = 1 << 22;
    private static final ThreadLocal<float[][]> K_PARTS = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * A short, narrow product with a long k (a weight gradient: 128 x 128 x 2048) split by KC
     * block instead of by tiles: splitting its few row panels left each thread re-reading all of
     * packed B (2T/1T 1.0-1.2). Each task packs its own block of B and writes the block's dot
     * products (alpha = 1: exact) to its own slice; the caller's threads then add the slices to
     * C in k order, fma(dot, alpha, C) as the one-thread loop does after each block, so the bits
     * are the one-thread bits.
     */
    private static void overK(int threads, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int offA, int rs, int cs, float[] b, int offB, int ldb,
                              boolean overwrite, float[] c, int offC, int ldc, BiasRelu epi) {
        int blocks = (k + KC - 1) / KC, nPanels = (n + NR - 1) / NR, mn = m * n, blockFloats = KC * nPanels * NR;
        // both buffers are the caller's and each task writes only its own slices: a thread that
        // runs one of these tasks while it waits on a product of its own touches none of its buffers
        float[] part = take(K_PARTS, blocks * mn), bp = take(B_PACK, blocks * blockFloats);
        try {
            Parallel.forEachBounded(blocks, threads, blk -> {
                int pc = blk * KC, kc = Math.min(KC, k - pc);
                packB(transB, b, offB, ldb, pc, kc, 0, n, 0, nPanels, bp, blk * blockFloats);
                computeBlock(a, offA + pc * cs, rs, cs, kc, 0, m, bp, blk * blockFloats, 0, nPanels, n, part, blk * mn, n, 1f, true, null);
            });
            addInOrder(threads, m, n, blocks, part, alpha, overwrite, c, offC, ldc, epi);
        } finally {
            giveBack(K_PARTS, part);
            giveBack(B_PACK, bp);
        }
    }

    /** C = fma(part[blk], alpha, C) for blk = 0, 1, ... in order (the first block writes when {@code overwrite}), then epi. */
    private static void addInOrder(int threads, int m, int n, int blocks, float[] part, float alpha, boolean overwrite,
                                   float[] c, int offC, int ldc, BiasRelu epi) {
        int mn = m * n;
        int chunks = Math.min(m, UNITS_PER_THREAD * threads);
        Parallel.forEachBounded(chunks, threads, u -> {
            int i0 = (int) ((long) m * u / chunks), i1 = (int) ((long) m * (u + 1) / chunks);
            FloatVector al = FloatVector.broadcast(S, alpha), zero = FloatVector.zero(S);
            for (int i = i0; i < i1; i++) {
                int row = offC + i * ldc;
                for (int blk = 0; blk < blocks; blk++) {
                    int src = blk * mn + i * n, j = 0;
                    boolean write = overwrite && blk == 0;
                    for (int bound = S.loopBound(n); j < bound; j += V) {
                        FloatVector acc = write ? zero : FloatVector.fromArray(S, c, row + j);
                        FloatVector.fromArray(S, part, src + j).fma(al, acc).intoArray(c, row + j);
                    }
                    for (; j < n; j++) c[row + j] = Math.fma(part[src + j], alpha, write ? 0f : c[row + j]);
                }
                if (epi != null) epi.apply(row, n);
            }
        });
    }

    private static final float[] NONE = new float[0];

    /**
     * Takes this thread's buffer out of {@code holder} for a parallel region (at least
     * {@code floats} long): a product that this thread runs meanwhile (a ForkJoin join helps
     * with other tasks) finds the holder empty and allocates its own instead of sharing it.
     */
    private static float[] take(ThreadLocal<float[][]> holder, int floats) {
        float[][] h = holder.get();
        float[] buf = h[0];
        h[0] = NONE;
        return buf.length >= floats ? buf : new float[floats];
    }

    private static void giveBack(ThreadLocal<float[][]> holder, float[] buf) { holder.get()[0] = buf; }

    private static void scaleC(float[] c, int offC, int ldc, int m, int n, float beta) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int row = offC + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f); // NaN in C must not propagate
            else for (int j = 0; j < n; j++) c[row + j] *= beta;
        }
    }

    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[V + 1]);

    /** {0, ldb, 2 ldb, ..., (V-1) ldb}, this thread's, remade only when ldb changes (its last slot holds ldb). */
    private static int[] gatherIndex(int ldb) {
        int[] idx = GATHER.get();
        if (idx[V] != ldb) {
            for (int i = 0; i < V; i++) idx[i] = i * ldb;
            idx[V] = ldb;
        }
        return idx;
    }

    /** Packs op(B)[pc.., jc + q*NR ..] for panels q0..q1 as [panel][p][NR] from bp[base], zero-padded past nc. */
    private static void packB(boolean transB, float[] b, int offB, int ldb, int pc, int kc, int jc, int nc,
                              int q0, int q1, float[] bp, int base) {
        for (int q = q0; q < q1; q++) {
            int j0 = q * NR, w = Math.min(NR, nc - j0), dst = base + q * kc * NR;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = offB + (pc + p) * ldb + jc + j0, d = dst + p * NR;
                    System.arraycopy(b, src, bp, d, w);
                    for (int j = w; j < NR; j++) bp[d + j] = 0f;
                }
            } else {
                // op(B)[p][j] = b[(jc + j) * ldb + pc + p]: V columns of one panel row at a time
                // by one gather (V rows of b, stride ldb) and one store; the scalar copy wrote
                // one float at a time and took 9.3 us of a 36 us 128 x 128 x 128 NT product
                int src0 = offB + (jc + j0) * ldb + pc, full = w / V * V;
                if (full > 0) {
                    int[] rowsApart = gatherIndex(ldb);
                    for (int p = 0; p < kc; p++)
                        for (int j = 0; j < full; j += V)
                            FloatVector.fromArray(S, b, src0 + j * ldb + p, rowsApart, 0).intoArray(bp, dst + p * NR + j);
                }
                for (int j = full; j < w; j++) {
                    int src = src0 + j * ldb;
                    for (int p = 0; p < kc; p++) bp[dst + p * NR + j] = b[src + p];
                }
                for (int p = 0; p < kc; p++)
                    for (int j = w; j < NR; j++) bp[dst + p * NR + j] = 0f;
            }
        }
    }

    /** Copies h <= MR rows of op(A) (first element at aOff) into ap[dst ..] as [p][MR], zero-padded. */
    private static void packPanel(float[] a, int aOff, int rs, int cs, int kc, int h, float[] ap, int dst) {
        for (int p = 0; p < kc; p++) {
            int d = dst + p * MR;
            for (int r = 0; r < h; r++) ap[d + r] = a[aOff + r * rs + p * cs];
            for (int r = h; r < MR; r++) ap[d + r] = 0f;
        }
    }

    /** Rows [i0, i1) of C times B panels [q0, q1) (packed from bp[bBase]) for one KC block (aOff: op(A)[0][pc]). */
    private static void computeBlock(float[] a, int aOff, int rs, int cs, int kc, int i0, int i1,
                                     float[] bp, int bBase, int q0, int q1, int nc, float[] c, int offC, int ldc, float alpha,
                                     boolean write, BiasRelu epi) {
        if (q1 - q0 > IN_PLACE_MAX_PANELS) {   // A is reused across many B panels: pack it once per block
            float[] ap = A_PACK.get();
            for (int ic = i0; ic < i1; ic += MC) {
                int mc = Math.min(MC, i1 - ic);
                for (int r0 = 0; r0 < mc; r0 += MR)
                    packPanel(a, aOff + (ic + r0) * rs, rs, cs, kc, Math.min(MR, mc - r0), ap, r0 * kc);
                tiles(ap, 0, 1, MR, kc, ic, ic + mc, true, bp, bBase, q0, q1, nc, c, offC, ldc, alpha, write, epi);
            }
        } else {
            tiles(a, aOff, rs, cs, kc, i0, i1, false, bp, bBase, q0, q1, nc, c, offC, ldc, alpha, write, epi);
        }
    }

    /**
     * Rows [i0, i1) of C times B panels [q0, q1): with {@code packed}, a holds those rows as
     * [panel][p][MR] from aOff (panel of row i at aOff + (i - i0) * kc); else op(A) in place.
     * {@code epi} (null unless this is the last k block): applied to each tile's rows once written.
     */
    private static void tiles(float[] a, int aOff, int rs, int cs, int kc, int i0, int i1, boolean packed,
                              float[] bp, int bBase, int q0, int q1, int nc, float[] c, int offC, int ldc, float alpha, boolean write,
                              BiasRelu epi) {
        float[] tile = TILE.get();
        int full = i0 + (i1 - i0) / MR * MR;   // rows in whole panels
        float[] edge = null;
        if (!packed && full < i1) {
            edge = A_EDGE.get();
            packPanel(a, aOff + full * rs, rs, cs, kc, i1 - full, edge, 0);
        }
        for (int q = q0; q < q1; q++) {
            int j0 = q * NR, w = Math.min(NR, nc - j0), bOff = bBase + q * kc * NR;
            for (int r0 = i0; r0 < i1; r0 += MR) {
                int h = Math.min(MR, i1 - r0);
                int cOff = offC + r0 * ldc + j0;
                if (WIDE) {
                    if (packed) kernel6(kc, a, aOff + (r0 - i0) * kc, MR, bp, bOff, tile);
                    else if (h < MR) kernel6(kc, edge, 0, MR, bp, bOff, tile);
                    else if (rs == 1) kernel6(kc, a, aOff + r0, cs, bp, bOff, tile);
                    else kernelRows6(kc, a, aOff + r0 * rs, rs, bp, bOff, tile);
                } else {
                    if (packed) kernel(kc, a, aOff + (r0 - i0) * kc, MR, bp, bOff, tile);
                    else if (h < MR) kernel(kc, edge, 0, MR, bp, bOff, tile);
                    else if (rs == 1) kernel(kc, a, aOff + r0, cs, bp, bOff, tile);
                    else kernelRows(kc, a, aOff + r0 * rs, rs, bp, bOff, tile);
                }
                if (h == MR && w == NR) {
                    if (write) for (int r = 0; r < MR; r++) setRow(tile, r * NR, alpha, c, cOff + r * ldc);
                    else for (int r = 0; r < MR; r++) addRow(tile, r * NR, alpha, c, cOff + r * ldc);
                } else {
                    for (int r = 0; r < h; r++)
                        for (int j = 0; j < w; j++) {
                            int ci = cOff + r * ldc + j;
                            c[ci] = Math.fma(tile[r * NR + j], alpha, write ? 0f : c[ci]);
                        }
                }
                if (epi != null) for (int r = 0; r < h; r++) epi.apply(cOff + r * ldc, w);
            }
        }
    }

    /**
     * The MR x NR micro-kernel: tile = sum_p A[r][p] x bpanel[p][0..NR), accumulated in registers,
     * for an A whose MR rows are adjacent (A[r][p] = a[aOff + p * cs + r]: a packed panel, cs = MR,
     * or a transposed A in place, cs = lda). It has a single exit on purpose: with a second
     * (C-updating) exit, C2 no longer keeps the accumulators in registers and the kernel runs ~4x
     * slower. {@link #kernelRows} is the same loop for row-major A; they are two copies because
     * constant offsets from one index are what lets C2 fold the addressing and range checks.
     */
    private static void kernel(int kc, float[] a, int aOff, int cs, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        // 16 accumulators (row r, vector half h) + 2 B vectors + 1 broadcast fit the 32 vector registers.
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR, ai = aOff + p * cs;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR); c01.intoArray(tile, 0 * NR + V);
        c10.intoArray(tile, 1 * NR); c11.intoArray(tile, 1 * NR + V);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + V);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + V);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + V);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + V);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + V);
        c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + V);
    }

    /** As {@link #kernel} for row-major A in place: A[r][p] = a[aOff + r * lda + p]. */
    private static void kernelRows(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        // 16 accumulators (row r, vector half h) + 2 B vectors + 1 broadcast fit the 32 vector registers.
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int r0 = aOff, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda, r6 = r5 + lda, r7 = r6 + lda;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector x;
            x = FloatVector.broadcast(S, a[r0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[r1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[r2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[r3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[r4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[r5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[r6 + p]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[r7 + p]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR); c01.intoArray(tile, 0 * NR + V);
        c10.intoArray(tile, 1 * NR); c11.intoArray(tile, 1 * NR + V);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + V);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + V);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + V);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + V);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + V);
        c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + V);
    }

    /**
     * The 6 x 4V micro-kernel ({@link #WIDE}): as {@link #kernel}, A's MR rows adjacent
     * (A[r][p] = a[aOff + p * cs + r]). Same single-exit rule.
     */
    private static void kernel6(int kc, float[] a, int aOff, int cs, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        // 24 accumulators (row r, vector h) + 4 B vectors + 1 broadcast: 29 of the 32 vector registers
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR, ai = aOff + p * cs;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * V), b3 = FloatVector.fromArray(S, bp, bi + 3 * V);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        c00.intoArray(tile, 0 * NR + 0 * V); c01.intoArray(tile, 0 * NR + 1 * V); c02.intoArray(tile, 0 * NR + 2 * V); c03.intoArray(tile, 0 * NR + 3 * V);
        c10.intoArray(tile, 1 * NR + 0 * V); c11.intoArray(tile, 1 * NR + 1 * V); c12.intoArray(tile, 1 * NR + 2 * V); c13.intoArray(tile, 1 * NR + 3 * V);
        c20.intoArray(tile, 2 * NR + 0 * V); c21.intoArray(tile, 2 * NR + 1 * V); c22.intoArray(tile, 2 * NR + 2 * V); c23.intoArray(tile, 2 * NR + 3 * V);
        c30.intoArray(tile, 3 * NR + 0 * V); c31.intoArray(tile, 3 * NR + 1 * V); c32.intoArray(tile, 3 * NR + 2 * V); c33.intoArray(tile, 3 * NR + 3 * V);
        c40.intoArray(tile, 4 * NR + 0 * V); c41.intoArray(tile, 4 * NR + 1 * V); c42.intoArray(tile, 4 * NR + 2 * V); c43.intoArray(tile, 4 * NR + 3 * V);
        c50.intoArray(tile, 5 * NR + 0 * V); c51.intoArray(tile, 5 * NR + 1 * V); c52.intoArray(tile, 5 * NR + 2 * V); c53.intoArray(tile, 5 * NR + 3 * V);
    }

    /** As {@link #kernel6} for row-major A in place: A[r][p] = a[aOff + r * lda + p]. */
    private static void kernelRows6(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        // 24 accumulators (row r, vector h) + 4 B vectors + 1 broadcast: 29 of the 32 vector registers
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        int r0 = aOff, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * V), b3 = FloatVector.fromArray(S, bp, bi + 3 * V);
            FloatVector x;
            x = FloatVector.broadcast(S, a[r0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[r1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[r2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[r3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[r4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[r5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        c00.intoArray(tile, 0 * NR + 0 * V); c01.intoArray(tile, 0 * NR + 1 * V); c02.intoArray(tile, 0 * NR + 2 * V); c03.intoArray(tile, 0 * NR + 3 * V);
        c10.intoArray(tile, 1 * NR + 0 * V); c11.intoArray(tile, 1 * NR + 1 * V); c12.intoArray(tile, 1 * NR + 2 * V); c13.intoArray(tile, 1 * NR + 3 * V);
        c20.intoArray(tile, 2 * NR + 0 * V); c21.intoArray(tile, 2 * NR + 1 * V); c22.intoArray(tile, 2 * NR + 2 * V); c23.intoArray(tile, 2 * NR + 3 * V);
        c30.intoArray(tile, 3 * NR + 0 * V); c31.intoArray(tile, 3 * NR + 1 * V); c32.intoArray(tile, 3 * NR + 2 * V); c33.intoArray(tile, 3 * NR + 3 * V);
        c40.intoArray(tile, 4 * NR + 0 * V); c41.intoArray(tile, 4 * NR + 1 * V); c42.intoArray(tile, 4 * NR + 2 * V); c43.intoArray(tile, 4 * NR + 3 * V);
        c50.intoArray(tile, 5 * NR + 0 * V); c51.intoArray(tile, 5 * NR + 1 * V); c52.intoArray(tile, 5 * NR + 2 * V); c53.intoArray(tile, 5 * NR + 3 * V);
    }

    /** c[off .. off+NR) += alpha * tile[t .. t+NR), fused (same rounding as the scalar edge path). */
    private static void addRow(float[] tile, int t, float alpha, float[] c, int off) {
        FloatVector al = FloatVector.broadcast(S, alpha);
        for (int v = 0; v < NR; v += V)
            FloatVector.fromArray(S, tile, t + v).fma(al, FloatVector.fromArray(S, c, off + v)).intoArray(c, off + v);
    }

    /** c[off .. off+NR) = fma(tile, alpha, 0): what addRow gives on a zeroed C, without reading C. */
    private static void setRow(float[] tile, int t, float alpha, float[] c, int off) {
        FloatVector al = FloatVector.broadcast(S, alpha), z = FloatVector.zero(S);
        for (int v = 0; v < NR; v += V)
            FloatVector.fromArray(S, tile, t + v).fma(al, z).intoArray(c, off + v);
    }
}
