package io.geocont.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on Java arrays, C = alpha op(A) op(B) + beta C on row-major sub-blocks,
 * in the GotoBLAS style: op(B) is packed in KC x NR column panels, op(A) in MC x KC blocks of
 * MR-row panels (so every transpose becomes the same canonical layout), and a register-blocked
 * MR x NR micro-kernel (NR = two Vector API vectors) accumulates a KC-long product in registers.
 *
 * <p>Determinism: C is first scaled by beta; then for each KC block in increasing k order,
 * every element gets C += alpha * (its KC-block dot product, summed in k order with FMA). Threads
 * split the fixed MR x NR tile grid, never the k dimension, so results are bitwise identical for
 * every thread count.
 */
final class Gemm {
    private Gemm() { }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    static final int MR = 6;
    static final int NR = 2 * V;
    private static final int KC = 256;
    private static final int MC = 24 * MR;
    private static final int NC = 4096;
    /** Below this many multiply-adds a call runs on the caller's thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 18;

    private static final ThreadLocal<float[]> A_PACK = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[][]> B_PACK = ThreadLocal.withInitial(() -> new float[1][0]);

    static void gemm(CpuParallel par, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc) {
        if (m == 0 || n == 0) return;
        scaleC(c, offC, ldc, m, n, beta);
        if (k == 0 || alpha == 0f) return;
        boolean parallel = (long) m * n * k >= PARALLEL_MIN_FMAS && par.threads() > 1;
        int mPanels = (m + MR - 1) / MR;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int nPanels = (nc + NR - 1) / NR;
            float[][] holder = B_PACK.get();
            if (holder[0].length < KC * nPanels * NR) holder[0] = new float[KC * nPanels * NR];
            float[] bp = holder[0];
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                final int jc0 = jc, pc0 = pc;
                if (parallel) par.forRange(nPanels, 4, (q0, q1) -> packB(transB, b, offB, ldb, pc0, kc, jc0, nc, q0, q1, bp));
                else packB(transB, b, offB, ldb, pc, kc, jc, nc, 0, nPanels, bp);
                // Split the tile grid along m when there are enough row panels, else along n.
                boolean splitM = mPanels >= 2 * par.threads() || mPanels >= nPanels;
                CpuParallel.RangeBody body = splitM
                        ? (p0, p1) -> computeBlock(transA, a, offA, lda, pc0, kc, p0 * MR, Math.min(m, p1 * MR), bp, 0, nPanels, nc,
                                c, offC + jc0, ldc, alpha)
                        : (q0, q1) -> computeBlock(transA, a, offA, lda, pc0, kc, 0, m, bp, q0, q1, nc,
                                c, offC + jc0, ldc, alpha);
                if (parallel) par.forRange(splitM ? mPanels : nPanels, 1, body);
                else body.run(0, splitM ? mPanels : nPanels);
            }
        }
    }

    private static void scaleC(float[] c, int offC, int ldc, int m, int n, float beta) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int row = offC + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f); // NaN in C must not propagate
            else for (int j = 0; j < n; j++) c[row + j] *= beta;
        }
    }

    /** Packs op(B)[pc.., jc + q*NR ..] for panels q0..q1 as [panel][p][NR], zero-padded past nc. */
    private static void packB(boolean transB, float[] b, int offB, int ldb, int pc, int kc, int jc, int nc,
                              int q0, int q1, float[] bp) {
        for (int q = q0; q < q1; q++) {
            int j0 = q * NR, w = Math.min(NR, nc - j0), dst = q * kc * NR;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = offB + (pc + p) * ldb + jc + j0, d = dst + p * NR;
                    System.arraycopy(b, src, bp, d, w);
                    for (int j = w; j < NR; j++) bp[d + j] = 0f;
                }
            } else {
                for (int j = 0; j < w; j++) {
                    int src = offB + (jc + j0 + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[dst + p * NR + j] = b[src + p];
                }
                for (int j = w; j < NR; j++)
                    for (int p = 0; p < kc; p++) bp[dst + p * NR + j] = 0f;
            }
        }
    }

    /** Packs op(A)[i0..i1, pc..pc+kc] as [panel][p][MR], zero-padded to whole panels. */
    private static void packA(boolean transA, float[] a, int offA, int lda, int pc, int kc, int i0, int i1, float[] ap) {
        int rows = i1 - i0;
        for (int r0 = 0; r0 < rows; r0 += MR) {
            int h = Math.min(MR, rows - r0), dst = r0 * kc;
            if (!transA) {
                for (int r = 0; r < h; r++) {
                    int src = offA + (i0 + r0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) ap[dst + p * MR + r] = a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = offA + (pc + p) * lda + i0 + r0, d = dst + p * MR;
                    for (int r = 0; r < h; r++) ap[d + r] = a[src + r];
                }
            }
            for (int r = h; r < MR; r++)
                for (int p = 0; p < kc; p++) ap[dst + p * MR + r] = 0f;
        }
    }

    /** Rows [i0, i1) of C times B panels [q0, q1) for one KC block. */
    private static void computeBlock(boolean transA, float[] a, int offA, int lda, int pc, int kc, int i0, int i1,
                                     float[] bp, int q0, int q1, int nc, float[] c, int offC, int ldc, float alpha) {
        float[] ap = A_PACK.get();
        float[] tile = new float[MR * NR];
        for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            packA(transA, a, offA, lda, pc, kc, ic, ic + mc, ap);
            for (int q = q0; q < q1; q++) {
                int j0 = q * NR, w = Math.min(NR, nc - j0);
                for (int r0 = 0; r0 < mc; r0 += MR) {
                    int h = Math.min(MR, mc - r0);
                    int cOff = offC + (ic + r0) * ldc + j0;
                    kernel(kc, ap, r0 * kc, bp, q * kc * NR, tile);
                    if (h == MR && w == NR) {
                        for (int r = 0; r < MR; r++) addRow(tile, r * NR, alpha, c, cOff + r * ldc);
                    } else {
                        for (int r = 0; r < h; r++)
                            for (int j = 0; j < w; j++) {
                                int ci = cOff + r * ldc + j;
                                c[ci] = Math.fma(tile[r * NR + j], alpha, c[ci]);
                            }
                    }
                }
            }
        }
    }

    /**
     * The MR x NR micro-kernel: tile = sum_p apanel[p][0..MR) x bpanel[p][0..NR), accumulated in
     * registers. It has a single exit on purpose: with a second (C-updating) exit, C2 no longer
     * keeps the accumulators in registers and the kernel runs ~4x slower.
     */
    private static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR, ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, V);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + V);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + V);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + V);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + V);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + V);
    }

    /** c[off .. off+NR) += alpha * tile[t .. t+NR), fused (same rounding as the scalar edge path). */
    private static void addRow(float[] tile, int t, float alpha, float[] c, int off) {
        FloatVector al = FloatVector.broadcast(S, alpha);
        for (int v = 0; v < NR; v += V)
            FloatVector.fromArray(S, tile, t + v).fma(al, FloatVector.fromArray(S, c, off + v)).intoArray(c, off + v);
    }
}
