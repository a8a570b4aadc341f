package io.geocont.backend.cpu;

import java.lang.reflect.Method;
import java.util.Random;

/**
 * Gemm itself at fixed thread counts (forced: no split chooser, unlike GemmShapes): one thread
 * against two, alternating sample by sample, best of 150 each, on the transformer's weight
 * gradients (which the k split serves), the MLP's input layer and a tall product; then the
 * cost of packing a 128 x 128 B, transposed (the forward's NT products) and not, against the
 * whole product. Package io.geocont.backend.cpu to reach the package-private entry. From the
 * repository root, after `mvn -q -o -B -DskipTests compile`:
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
 *   $J/javac --add-modules jdk.incubator.vector -cp target/classes -d /tmp/gemm-forced benchmarks/gemm/GemmForced.java
 *   $J/java --add-modules jdk.incubator.vector -cp /tmp/gemm-forced:target/classes io.geocont.backend.cpu.GemmForced
 */
public class GemmForced {
    public static void main(String[] args) throws Exception {
        int[][] shapes = {{1, 0, 128, 128, 2048}, {1, 0, 512, 128, 2048}, {1, 0, 128, 512, 2048}, {0, 1, 128, 128, 784}, {0, 0, 2048, 128, 512}};
        Random r = new Random(1);
        for (int[] sh : shapes) {
            boolean ta = sh[0] == 1, tb = sh[1] == 1;
            int m = sh[2], n = sh[3], k = sh[4];
            float[] a = new float[m * k], b = new float[n * k], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
            long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
            for (int rep = 0; rep < 400; rep++) {
                int t = rep % 2 + 1;
                long t0 = System.nanoTime();
                Gemm.gemm(t, ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n, true);
                long d = System.nanoTime() - t0;
                if (rep >= 100) best[t - 1] = Math.min(best[t - 1], d);
            }
            double f = 2.0 * m * n * k;
            System.out.printf("%s%s %d x %d x %d: 1 thread %.0f GFLOP/s, 2 threads %.0f GFLOP/s (%.2fx)%n",
                    ta ? "T" : "N", tb ? "T" : "N", m, n, k, f / best[0], f / best[1], (double) best[0] / best[1]);
        }
        Method pack = Gemm.class.getDeclaredMethod("packB", boolean.class, float[].class, int.class, int.class, int.class,
                int.class, int.class, int.class, int.class, int.class, float[].class, int.class);
        pack.setAccessible(true);
        int n = 128, k = 128, panels = (n + Gemm.NR - 1) / Gemm.NR;
        float[] b = new float[n * k], bp = new float[k * panels * Gemm.NR], a = new float[n * k], c = new float[n * n];
        for (int i = 0; i < b.length; i++) { b[i] = i; a[i] = i * 1e-3f; }
        for (int round = 0; round < 6; round++)
            for (boolean tb : new boolean[]{true, false}) {
                long bestPack = Long.MAX_VALUE, bestGemm = Long.MAX_VALUE;
                for (int rep = 0; rep < 3000; rep++) {
                    long t0 = System.nanoTime();
                    pack.invoke(null, tb, b, 0, tb ? k : n, 0, k, 0, n, 0, panels, bp, 0);
                    bestPack = Math.min(bestPack, System.nanoTime() - t0);
                    t0 = System.nanoTime();
                    Gemm.gemm(1, false, tb, n, n, k, 1f, a, 0, k, b, 0, tb ? k : n, 0f, c, 0, n, false);
                    bestGemm = Math.min(bestGemm, System.nanoTime() - t0);
                }
                if (round >= 4)
                    System.out.printf("128 x 128 x 128 N%s: packing B %.2f us of a %.2f us product (1 thread)%n", tb ? "T" : "N", bestPack / 1e3, bestGemm / 1e3);
            }
    }
}
