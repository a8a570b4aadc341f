package io.geocont.backend.cuda;

import io.geocont.backend.Tensor;
import io.geocont.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The row-major to column-major GEMM mapping handed to cuBLAS, checked without a GPU: a
 * reference column-major SGEMM (cuBLAS's definition) run with the mapped arguments must equal
 * the CPU backend's row-major GEMM, for every transpose pair, offsets, padded leading
 * dimensions and single-row operands.
 */
class CublasMappingTest {

    /** cuBLAS semantics: C = alpha op(A) op(B) + beta C, column-major, element (i, j) at i + j * ld. */
    private static void colMajorSgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                                      float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float x = ta ? a[offA + p + i * lda] : a[offA + i + p * lda];
                    float y = tb ? b[offB + j + p * ldb] : b[offB + p + j * ldb];
                    s += (double) x * y;
                }
                int idx = offC + i + j * ldc;
                c[idx] = (float) (alpha * s + (beta == 0 ? 0 : beta * c[idx]));
            }
    }

    @Test
    void mappedCallEqualsRowMajorGemm() {
        SplittableRandom r = new SplittableRandom(11);
        int[][] sizes = {{7, 5, 3}, {1, 9, 4}, {6, 1, 8}, {4, 6, 1}};
        try (CpuBackend cpu = new CpuBackend(1)) {
            for (int[] sz : sizes)
                for (boolean ta : new boolean[]{false, true})
                    for (boolean tb : new boolean[]{false, true}) {
                        int m = sz[0], n = sz[1], k = sz[2], pad = 2;
                        int aCols = ta ? m : k, aRows = ta ? k : m, bCols = tb ? k : n, bRows = tb ? n : k;
                        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad, offA = 3, offB = 1, offC = 2;
                        float[] a = rand(r, offA + aRows * lda), b = rand(r, offB + bRows * ldb), c = rand(r, offC + m * ldc);
                        Tensor ta0 = cpu.fromArray(a, a.length), tb0 = cpu.fromArray(b, b.length), tc0 = cpu.fromArray(c, c.length);
                        cpu.gemm(ta, tb, m, n, k, 0.5f, ta0, offA, lda, tb0, offB, ldb, 0.25f, tc0, offC, ldc);
                        float[] want = tc0.toArray();

                        var g = CublasHandle.ColMajor.of(ta, tb, m, n, k, offA, lda, offB, ldb, offC, ldc);
                        float[] got = c.clone();
                        // "pointers" are offsets into the same arrays: operand a of the call is our B, b is our A
                        colMajorSgemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 0.5f, b, (int) g.a(), g.lda(),
                                a, (int) g.b(), g.ldb(), 0.25f, got, (int) g.c(), g.ldc());
                        String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb;
                        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f, what + " at " + i);
                        // cuBLAS's own argument rules for the mapped call
                        assertTrue(g.lda() >= Math.max(1, g.transA() ? g.k() : g.m()), what + " lda");
                        assertTrue(g.ldb() >= Math.max(1, g.transB() ? g.n() : g.k()), what + " ldb");
                        assertTrue(g.ldc() >= Math.max(1, g.m()), what + " ldc");
                    }
        }
    }

    private static float[] rand(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
