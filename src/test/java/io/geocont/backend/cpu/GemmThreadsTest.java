package io.geocont.backend.cpu;

import io.geocont.backend.Tensor;
import io.geocont.linalg.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every way Gemm splits its tile grid (along m, along n, packed or in-place A, one or many KC
 * blocks, products small enough to have run on one thread before) gives bitwise the same C on 1
 * thread, on 2, on 4 (geocont's own pool resized, so the chunks go through the spinning crew),
 * and in a caller's pool of 3 (the ForkJoin path).
 */
class GemmThreadsTest {
    /** transA, transB, m, n, k: the MLP's and the transformer's shapes plus odd ones. */
    private static final int[][] CASES = {
            {0, 1, 128, 128, 128}, {1, 0, 128, 128, 128}, {0, 0, 128, 128, 128}, {1, 0, 128, 784, 128},
            {0, 1, 128, 128, 784}, {0, 1, 2048, 128, 128}, {0, 1, 1024, 512, 128}, {1, 0, 128, 128, 2048},
            {1, 0, 512, 128, 1024}, {1, 0, 128, 512, 1024}, {0, 0, 1024, 128, 512}, {0, 0, 1033, 517, 300},
            {1, 1, 77, 300, 600}, {0, 1, 40, 1200, 90},
    };

    private static int[] product(CpuBackend be, int[] cs, float beta) {
        boolean ta = cs[0] == 1, tb = cs[1] == 1;
        int m = cs[2], n = cs[3], k = cs[4];
        Random rnd = new Random(m * 31L + n * 7L + k);
        Tensor a = be.fromArray(GradCheck.randn(rnd, m * k, 1), m * k), b = be.fromArray(GradCheck.randn(rnd, n * k, 1), n * k);
        Tensor c = be.fromArray(GradCheck.randn(rnd, m * n, 1), m * n);
        be.gemm(ta, tb, m, n, k, 0.75f, a, 0, ta ? m : k, b, 0, tb ? k : n, beta, c, 0, n);
        float[] v = c.toArray();
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) bits[i] = Float.floatToRawIntBits(v[i]);
        return bits;
    }

    @Test
    void everySplitGivesTheBitsOfOneThread() throws Exception {
        int defaultThreads = Parallel.threads();
        ForkJoinPool callers = new ForkJoinPool(3);
        try {
            for (float beta : new float[]{0f, 1f, 0.5f})
                for (int[] cs : CASES) {
                    String what = java.util.Arrays.toString(cs) + " beta " + beta;
                    int[] one = product(new CpuBackend(1), cs, beta);
                    Parallel.setThreads(2);
                    assertArrayEquals(one, product(new CpuBackend(), cs, beta), what + ": 2 threads");
                    Parallel.setThreads(4);
                    assertArrayEquals(one, product(new CpuBackend(), cs, beta), what + ": 4 threads");
                    assertArrayEquals(one, callers.submit(() -> product(new CpuBackend(), cs, beta)).get(), what + ": caller's pool of 3");
                }
        } finally {
            callers.shutdown();
            Parallel.setThreads(defaultThreads);
        }
    }
}
