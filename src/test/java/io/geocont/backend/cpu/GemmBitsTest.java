package io.geocont.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Gemm's documented arithmetic, bit for bit: C is scaled by beta, then for each 256-long block
 * of k in order every element gets C = fma(block dot, alpha, C), the block dot being one FMA
 * chain in k order (at beta = 0 the first block writes fma(dot, alpha, 0)). Whatever the
 * micro-kernel's shape ({@link Gemm#MR} x {@link Gemm#NR}), the packing or the edge handling,
 * this is what every element must see: the MLP's pinned runs (SgdReferenceTest) and the
 * 1-vs-N-thread equality rest on it.
 */
class GemmBitsTest {
    private static final int KC = 256;

    /** The plain loop of the contract. */
    private static float[] plain(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int lda,
                                 float[] b, int ldb, float beta, float[] c0) {
        float[] c = c0.clone();
        boolean overwrite = beta == 0f && k > 0 && alpha != 0f;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float v = beta == 1f ? c[i * n + j] : beta == 0f ? 0f : c[i * n + j] * beta;
                for (int p0 = 0; p0 < k; p0 += KC) {
                    float dot = 0f;
                    for (int p = p0; p < Math.min(k, p0 + KC); p++) {
                        float av = ta ? a[p * lda + i] : a[i * lda + p];
                        float bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                        dot = Math.fma(av, bv, dot);
                    }
                    v = Math.fma(dot, alpha, overwrite && p0 == 0 ? 0f : v);
                }
                c[i * n + j] = v;
            }
        return c;
    }

    @Test
    void everyElementIsTheDocumentedFmaChain() {
        String bad = firstMismatch();
        assertNull(bad, bad);
    }

    /**
     * The same on narrower vectors (a child JVM with -XX:MaxVectorSize=32 and =16), where Gemm
     * picks its 8-row kernel: the bits do not depend on the lane count either.
     */
    @Test
    void theNarrowKernelsGiveTheSameBits() throws Exception {
        int lanesHere = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        for (int bytes : new int[]{32, 16}) {
            if (bytes / 4 >= lanesHere) continue;
            String launcher = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(launcher, "-XX:MaxVectorSize=" + bytes, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), GemmBitsTest.class.getName())
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the child JVM did not finish");
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "MaxVectorSize=" + bytes + ":\n" + out);
            assertTrue(out.contains("bits ok, kernel 8x" + 2 * bytes / 4), "MaxVectorSize=" + bytes + ":\n" + out);
        }
    }

    /** Run in the child: "bits ok, kernel MRxNR", or the first mismatch and exit status 1. */
    public static void main(String[] args) {
        String bad = firstMismatch();
        System.out.println(bad == null ? "bits ok, kernel " + Gemm.MR + "x" + Gemm.NR : bad);
        System.exit(bad == null ? 0 : 1);
    }

    /** null when every case matches the plain loop, else a description of the first element that does not. */
    static String firstMismatch() {
        // the MLP's and the transformer's shapes, and sizes that leave ragged row tiles (m % 6,
        // m % 8), ragged and single B panels, several KC blocks and a short last one
        int[][] shapes = {{128, 128, 128}, {128, 784, 128}, {128, 128, 784}, {130, 70, 300}, {7, 65, 513},
                {2048, 128, 64}, {13, 200, 31}, {1, 1, 257}};
        Random rnd = new Random(7);
        for (int[] s : shapes)
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                float[] a = GradCheck.randn(rnd, m * k, 1), b = GradCheck.randn(rnd, n * k, 1), c0 = GradCheck.randn(rnd, m * n, 1);
                int lda = ta ? m : k, ldb = tb ? k : n;
                for (float[] ab : new float[][]{{1f, 0f}, {-0.5f, 1f}, {0.75f, 0.25f}}) {
                    float[] want = plain(ta, tb, m, n, k, ab[0], a, lda, b, ldb, ab[1], c0);
                    for (int threads : new int[]{1, 2}) {
                        float[] got = c0.clone();
                        Gemm.gemm(threads, ta, tb, m, n, k, ab[0], a, 0, lda, b, 0, ldb, ab[1], got, 0, n, true);
                        for (int i = 0; i < got.length; i++)
                            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i]))
                                return ((ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k + " alpha " + ab[0] + " beta "
                                        + ab[1] + " threads " + threads + ": C[" + i / n + "," + i % n + "] = " + got[i] + ", the plain chain gives " + want[i]
                                        + " (kernel " + Gemm.MR + "x" + Gemm.NR + ")");
                    }
                }
            }
        return null;
    }
}
