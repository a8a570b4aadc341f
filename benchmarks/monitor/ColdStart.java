import io.geocont.monitor.ContinuityMonitor;

import java.util.SplittableRandom;

/**
 * What the monitor costs in a fresh JVM: the quick MLP's 12 hidden 128 x 128 layers, measured at
 * initialization and then after each "epoch" of 63 synthetic gradient steps (random gradients,
 * SGD on the weights), with wall time per measurement. In a fresh JVM the first measurements run
 * the kernels before C2 has compiled them (the Vector API's uncompiled fallback is ~100x slower
 * than its compiled form), so they take seconds; the steady state is what RESULTS.md's
 * per-epoch figures are. Run it with -XX:+CITime to see the JIT's compile seconds.
 *
 * Usage (repository root, after mvn package):
 *   java --add-modules jdk.incubator.vector -cp target/geocont-all.jar benchmarks/monitor/ColdStart.java [EPOCHS]
 */
public class ColdStart {
    public static void main(String[] args) {
        int layers = 12, d = 128, epochs = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        SplittableRandom rng = new SplittableRandom(1);
        float[][] w = new float[layers][d * d], g = new float[layers][d * d];
        for (float[] a : w) for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextGaussian() / Math.sqrt(d));
        ContinuityMonitor monitor = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
        double total = 0;
        for (int e = 0; e <= epochs; e++) {
            if (e > 0) for (int s = 0; s < 63; s++) {
                for (float[] a : g) for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextGaussian() * 0.01);
                monitor.step(ContinuityMonitor.layers(d, d, g));
                for (int l = 0; l < layers; l++) for (int i = 0; i < d * d; i++) w[l][i] -= 0.05f * g[l][i];
            }
            long t0 = System.nanoTime();
            monitor.measure(ContinuityMonitor.layers(d, d, w));
            double ms = (System.nanoTime() - t0) / 1e6;
            total += ms;
            System.out.printf("measurement %2d: %8.1f ms%n", e, ms);
        }
        System.out.printf("all %d measurements: %.0f ms%n", epochs + 1, total);
    }
}
