package io.geocont.backend.cpu;

import io.geocont.backend.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** GEMM against a naive double-precision reference. */
class GemmTest {
    private static final CpuBackend B = new CpuBackend(2);

    @AfterAll static void close() { B.close(); }

    /** C_ref = alpha op(A) op(B) + beta C0 in double, plus the error bound sum |a||b| per element. */
    private static double[][] reference(boolean ta, boolean tb, int m, int n, int k, float alpha,
                                        float[] a, int offA, int lda, float[] b, int offB, int ldb,
                                        float beta, float[] c0, int offC, int ldc) {
        double[] ref = new double[m * n], bound = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    double bv = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                    s += av * bv;
                    abs += Math.abs(av * bv);
                }
                double c = beta == 0 ? 0 : beta * (double) c0[offC + i * ldc + j];
                ref[i * n + j] = alpha * s + c;
                bound[i * n + j] = Math.abs(alpha) * abs + Math.abs(c);
            }
        return new double[][]{ref, bound};
    }

    /** Runs one case with padding around every matrix, ld larger than needed, and checks C and its padding. */
    private static void check(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, Random rnd) {
        int offA = 3, offB = 5, offC = 7;
        int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
        int aRows = ta ? k : m, bRows = tb ? n : k;
        float[] a = GradCheck.randn(rnd, offA + aRows * lda + 4, 1);
        float[] b = GradCheck.randn(rnd, offB + bRows * ldb + 4, 1);
        float[] c0 = GradCheck.randn(rnd, offC + m * ldc + 4, 1);
        if (beta == 0f) for (int i = 0; i < c0.length; i++) c0[i] = Float.NaN; // must not be read
        Tensor at = B.fromArray(a, a.length), bt = B.fromArray(b, b.length), ct = B.fromArray(c0, c0.length);
        B.gemm(ta, tb, m, n, k, alpha, at, offA, lda, bt, offB, ldb, beta, ct, offC, ldc);
        float[] c = ct.toArray();
        double[][] r = reference(ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c0, offC, ldc);
        String what = (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double got = c[offC + i * ldc + j], want = r[0][i * n + j];
                // float32 accumulation over k terms: |err| <= ~k * 2^-24 * sum |a b|; we allow 2x that plus the beta term.
                double tol = (k + 2) * 1.2e-7 * r[1][i * n + j] + 1e-30;
                if (!(Math.abs(got - want) <= tol)) fail(what + " C[" + i + "," + j + "] = " + got + ", want " + want);
            }
        // Nothing outside the m x n block changed (padding columns and the slack between rows).
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - offC;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside) assertEquals(Float.floatToRawIntBits(c0[idx]), Float.floatToRawIntBits(c[idx]), what + " wrote outside C at " + idx);
        }
    }

    @Test
    void allTransposesOddSizesOffsetsAndLeadingDims() {
        Random rnd = new Random(1);
        int[] sizes = {1, 7, 33, 129};
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true})
                for (int m : sizes)
                    for (int n : sizes)
                        for (int k : sizes) {
                            if ((long) m * n * k > 129L * 129 * 33) continue; // keep the test quick
                            check(ta, tb, m, n, k, 1f, 0f, rnd);
                        }
    }

    @Test
    void largerCasesAcrossBlockBoundaries() {
        Random rnd = new Random(2);
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true}) {
                check(ta, tb, 129, 129, 129, 1f, 0f, rnd);
                check(ta, tb, 300, 70, 513, -0.5f, 0.25f, rnd);
                check(ta, tb, 65, 257, 300, 1.5f, 1f, rnd);
            }
    }

    @Test
    void alphaBetaAndZeroK() {
        Random rnd = new Random(3);
        check(false, false, 7, 33, 7, 2f, -1f, rnd);
        check(true, true, 33, 7, 1, 0.5f, 3f, rnd);
        // k = 0: C = beta C, and beta = 0 clears NaN.
        Tensor c = B.fromArray(new float[]{Float.NaN, 2, 3, 4}, 2, 2);
        B.gemm(false, false, 2, 2, 0, 1f, B.zeros(1), 0, 1, B.zeros(1), 0, 1, 0f, c, 0, 2);
        assertArrayEquals(new float[]{0, 0, 0, 0}, c.toArray());
        Tensor c2 = B.fromArray(new float[]{1, 2, 3, 4}, 2, 2);
        B.gemm(false, false, 2, 2, 0, 1f, B.zeros(1), 0, 1, B.zeros(1), 0, 1, 2f, c2, 0, 2);
        assertArrayEquals(new float[]{2, 4, 6, 8}, c2.toArray());
    }

    @Test
    void stridedBatchedMatchesLoopOfSingleGemms() {
        Random rnd = new Random(4);
        int m = 9, n = 17, k = 13, batch = 5;
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true}) {
                int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
                long sa = (long) m * k + 3, sb = (long) k * n + 1, sc = (long) m * n + 2;
                float[] a = GradCheck.randn(rnd, (int) (sa * batch), 1), b = GradCheck.randn(rnd, (int) (sb * batch), 1);
                float[] c0 = GradCheck.randn(rnd, (int) (sc * batch), 1);
                Tensor ct = B.fromArray(c0, c0.length);
                B.gemmStridedBatched(ta, tb, m, n, k, 1.25f, B.fromArray(a, a.length), 1, lda, sa,
                        B.fromArray(b, b.length), 0, ldb, sb, 0.5f, ct, 2, ldc, sc, batch - 1);
                float[] c = ct.toArray();
                for (int p = 0; p < batch - 1; p++) {
                    double[][] r = reference(ta, tb, m, n, k, 1.25f, a, (int) (1 + p * sa), lda, b, (int) (p * sb), ldb,
                            0.5f, c0, (int) (2 + p * sc), ldc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            assertEquals(r[0][i * n + j], c[(int) (2 + p * sc) + i * ldc + j], (k + 2) * 1.2e-7 * r[1][i * n + j],
                                    "batch " + p);
                }
                // The last matrix was not part of the call.
                for (int idx = (int) (2 + (batch - 1) * sc); idx < c.length; idx++) assertEquals(c0[idx], c[idx], 0f);
            }
    }

    @Test
    void outOfBoundsArgumentsAreRejectedWithShapes() {
        Tensor a = B.zeros(4, 4), b = B.zeros(4, 4), c = B.zeros(4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> B.gemm(false, false, 4, 4, 4, 1f, a, 1, 4, b, 0, 4, 0f, c, 0, 4));
        assertTrue(e.getMessage().contains("gemm") && e.getMessage().contains("A"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> B.gemm(false, false, 4, 4, 4, 1f, a, 0, 3, b, 0, 4, 0f, c, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> B.gemm(false, true, 4, 5, 4, 1f, a, 0, 4, b, 0, 4, 0f, c, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> B.gemmStridedBatched(false, false, 2, 2, 2, 1f, a, 0, 2, 4,
                b, 0, 2, 4, 0f, c, 0, 2, 4, 5));
    }
}
