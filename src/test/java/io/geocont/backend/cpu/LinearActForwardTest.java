package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fused dense-layer forward (bias and ReLU/identity applied to each GEMM tile in cache) gives
 * the bits of the two calls it replaces, gemm then biasActForward, on 1 and 4 threads (the big
 * shape is split over threads), for every transpose, with and without bias and residual, ragged
 * edges, several k blocks, and k = 0.
 */
class LinearActForwardTest {

    private static float[] values(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    @Test
    void fusedEqualsGemmThenBiasAct() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int[] s : new int[][]{{128, 128, 128}, {5, 37, 9}, {33, 10, 300}, {300, 129, 784}, {7, 40, 0}}) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = values(rnd, m * k), b = values(rnd, k * n), bias = values(rnd, n), res = values(rnd, m * n);
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true})
                    for (Activation act : new Activation[]{Activation.RELU, Activation.IDENTITY})
                        for (int variant = 0; variant < 3; variant++)
                            for (int threads : new int[]{1, 4}) {
                                boolean withBias = variant != 1, withRes = variant != 2;
                                String what = act + (ta ? " T" : " N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k
                                        + (withBias ? " bias" : "") + (withRes ? " residual" : "") + " on " + threads + " threads";
                                try (CpuBackend be = new CpuBackend(threads)) {
                                    Tensor ta_ = be.fromArray(a, ta ? k : m, ta ? m : k), tb_ = be.fromArray(b, tb ? n : k, tb ? k : n);
                                    int lda = ta ? m : k, ldb = tb ? k : n;
                                    Tensor tBias = withBias ? be.fromArray(bias, n) : null, tRes = withRes ? be.fromArray(res, m, n) : null;
                                    Tensor z1 = be.zeros(m, n), o1 = be.zeros(m, n), z2 = be.zeros(m, n), o2 = be.zeros(m, n);
                                    be.gemm(ta, tb, m, n, k, 1.5f, ta_, 0, lda, tb_, 0, ldb, 0f, z1, 0, n);
                                    be.biasActForward(z1, tBias, act, 0f, tRes, o1);
                                    be.linearActForward(ta, tb, m, n, k, 1.5f, ta_, 0, lda, tb_, 0, ldb, z2, tBias, act, 0f, tRes, o2);
                                    assertArrayEquals(z1.toArray(), z2.toArray(), what + ": z");
                                    assertArrayEquals(o1.toArray(), o2.toArray(), what + ": out");
                                }
                            }
        }
    }

    @Test
    void epilogueOnForcedSplitsEqualsTheWholeProduct() {
        SplittableRandom rnd = new SplittableRandom(8);
        int m = 70, n = 100, k = 600;   // ragged tiles, three k blocks
        float[] a = values(rnd, m * k), b = values(rnd, n * k), bias = values(rnd, n), res = values(rnd, m * n);
        float[] zWant = new float[m * n], outWant = new float[m * n];
        Gemm.gemm(1, false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, zWant, 0, n, false, null);
        for (int r = 0; r < m; r++) BiasRelu.apply(true, zWant, bias, 0, res, outWant, r * n, n);
        for (int threads : new int[]{2, 3, 4}) {
            float[] z = new float[m * n], out = new float[m * n];
            Gemm.gemm(threads, false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, z, 0, n, true, new BiasRelu(true, z, bias, res, out, n));
            assertArrayEquals(zWant, z, threads + " threads: z");
            assertArrayEquals(outWant, out, threads + " threads: out");
        }
    }

    @Test
    void outputAliasingTheResidualStillWorks() {
        try (CpuBackend be = new CpuBackend(1)) {
            Tensor x = be.fromArray(new float[]{1, -2, 3, 4}, 2, 2), w = be.fromArray(new float[]{1, 0, 0, 1}, 2, 2);
            Tensor h = be.fromArray(new float[]{10, 20, 30, 40}, 2, 2), z = be.zeros(2, 2);
            be.linearActForward(false, true, 2, 2, 2, 1f, x, 0, 2, w, 0, 2, z, null, Activation.RELU, 0f, h, h);
            assertArrayEquals(new float[]{11, 20, 33, 44}, h.toArray());
            assertArrayEquals(new float[]{1, -2, 3, 4}, z.toArray());
        }
    }
}
