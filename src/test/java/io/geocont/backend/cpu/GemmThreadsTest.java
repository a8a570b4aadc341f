package io.geocont.backend.cpu;

import io.geocont.linalg.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every way Gemm splits its tile grid (along m, along n, packed or in-place A, one or many KC
 * blocks, tiny products split anyway) gives bitwise the same C on 1
 * thread, on 2, on 4 (geocont's own pool resized, so the chunks go through the spinning crew),
 * and in a caller's pool of 3 (the ForkJoin path).
 */
class GemmThreadsTest {
    /** transA, transB, m, n, k: the MLP's and the transformer's shapes plus odd ones. */
    private static final int[][] CASES = {
            {0, 1, 128, 128, 128}, {1, 0, 128, 128, 128}, {0, 0, 128, 128, 128}, {1, 0, 128, 784, 128},
            {0, 1, 128, 128, 784}, {0, 1, 2048, 128, 128}, {0, 1, 1024, 512, 128}, {1, 0, 128, 128, 2048},
            {1, 0, 512, 128, 1024}, {1, 0, 128, 512, 1024}, {0, 0, 1024, 128, 512}, {0, 0, 1033, 517, 300},
            {1, 1, 77, 300, 600}, {0, 1, 40, 1200, 90}, {0, 0, 24, 40, 8}, {1, 1, 9, 3, 5},
    };

    /** C = 0.75 op(A) op(B) + beta C on {@code threads} threads, split whatever the size and the payoff's view. */
    private static int[] product(int threads, int[] cs, float beta) {
        boolean ta = cs[0] == 1, tb = cs[1] == 1;
        int m = cs[2], n = cs[3], k = cs[4];
        Random rnd = new Random(m * 31L + n * 7L + k);
        float[] a = GradCheck.randn(rnd, m * k, 1), b = GradCheck.randn(rnd, n * k, 1), c = GradCheck.randn(rnd, m * n, 1);
        Gemm.gemm(threads, ta, tb, m, n, k, 0.75f, a, 0, ta ? m : k, b, 0, tb ? k : n, beta, c, 0, n, true);
        int[] bits = new int[c.length];
        for (int i = 0; i < c.length; i++) bits[i] = Float.floatToRawIntBits(c[i]);
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
                    int[] one = product(1, cs, beta);
                    Parallel.setThreads(2);
                    assertArrayEquals(one, product(2, cs, beta), what + ": 2 threads");
                    Parallel.setThreads(4);
                    assertArrayEquals(one, product(4, cs, beta), what + ": 4 threads");
                    assertArrayEquals(one, callers.submit(() -> product(3, cs, beta)).get(), what + ": caller's pool of 3");
                }
        } finally {
            callers.shutdown();
            Parallel.setThreads(defaultThreads);
        }
    }

    /**
     * Many products at once from inside one ForkJoinPool (a caller's parallel stream): a thread
     * that waits on its own product's tasks may run another product's tasks, or another whole
     * product, meanwhile, and must not hand that product the packing or partial-sum buffer it is
     * still using.
     */
    @Test
    void concurrentProductsInOneForkJoinPoolKeepTheirBits() throws Exception {
        int[][] cases = {{1, 0, 128, 128, 2048}, {0, 1, 128, 128, 784}, {1, 0, 128, 512, 1024}, {0, 0, 1033, 517, 300}, {0, 1, 2048, 128, 128}};
        int[][] want = new int[cases.length][];
        for (int i = 0; i < cases.length; i++) want[i] = product(1, cases[i], 0.5f);
        ForkJoinPool callers = new ForkJoinPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                java.util.List<java.util.concurrent.Future<int[]>> got = new java.util.ArrayList<>();
                for (int t = 0; t < 6 * cases.length; t++) {
                    int[] cs = cases[t % cases.length];
                    got.add(callers.submit(() -> product(3, cs, 0.5f)));
                }
                for (int t = 0; t < got.size(); t++)
                    assertArrayEquals(want[t % cases.length], got.get(t).get(), java.util.Arrays.toString(cases[t % cases.length]) + " among concurrent products");
            }
        } finally {
            callers.shutdown();
        }
    }
}
