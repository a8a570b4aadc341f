package io.geocont.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on Java arrays: C = alpha op(A) op(B) + beta C, row-major sub-blocks.
 * Each element of C is a sum over k in increasing order, so the result does not depend on how
 * rows are split over threads.
 */
final class Gemm {
    private Gemm() { }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static void gemm(CpuParallel par, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float beta, float[] c, int offC, int ldc) {
        if (m == 0 || n == 0) return;
        // op(B) packed as k x n row-major so the inner loop is a contiguous axpy.
        float[] bp = new float[Math.multiplyExact(k, n)];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                bp[p * n + j] = transB ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
        par.forRange(m, (int) Math.max(1, (1 << 16) / Math.max(1L, (long) n * k)), (i0, i1) -> {
            float[] acc = new float[n];
            int bound = S.loopBound(n);
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(acc, 0f);
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    FloatVector va = FloatVector.broadcast(S, av);
                    int row = p * n, j = 0;
                    for (; j < bound; j += S.length())
                        va.fma(FloatVector.fromArray(S, bp, row + j), FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
                    for (; j < n; j++) acc[j] = Math.fma(av, bp[row + j], acc[j]);
                }
                int ci = offC + i * ldc;
                if (beta == 0f) {
                    for (int j = 0; j < n; j++) c[ci + j] = alpha * acc[j];
                } else {
                    for (int j = 0; j < n; j++) c[ci + j] = alpha * acc[j] + beta * c[ci + j];
                }
            }
        });
    }
}
