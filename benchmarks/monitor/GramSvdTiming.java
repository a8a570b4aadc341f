package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.util.SplitMix64;

import java.lang.management.ManagementFactory;

/**
 * ms per 128 x 128 Gram-eigen SVD, the plain JAMA loops (GramEigenSvdBaseline, test classes)
 * against the blocked kernels (GramEigenSvd), interleaved on the same twelve matrices (identity
 * plus Gaussian / sqrt(d), like trained residual-MLP weights), thread CPU time. Package
 * io.geocont.linalg.svd to reach the package-private baseline. From the repository root, after
 * `mvn -o -B test-compile`:
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin; CP=target/classes:target/test-classes
 *   $J/javac --add-modules jdk.incubator.vector -cp $CP -d /tmp/gst benchmarks/monitor/GramSvdTiming.java
 *   $J/java --add-modules jdk.incubator.vector -cp /tmp/gst:$CP io.geocont.linalg.svd.GramSvdTiming 60
 */
public class GramSvdTiming {
    private static double cpuMs() { return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6; }

    public static void main(String[] args) {
        int n = 128, mats = 12, reps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        SplitMix64 rng = new SplitMix64(1);
        Matrix[] ms = new Matrix[mats];
        for (int t = 0; t < mats; t++) {
            float[] f = new float[n * n];
            for (int i = 0; i < f.length; i++) f[i] = (float) (rng.nextGaussian() / Math.sqrt(n));
            for (int i = 0; i < n; i++) f[i * n + i] += 1f;
            ms[t] = new Matrix(n, n, f);
        }
        GramEigenSvdBaseline plain = new GramEigenSvdBaseline();
        GramEigenSvd blocked = new GramEigenSvd();
        double bestPlain = Double.MAX_VALUE, bestBlocked = Double.MAX_VALUE;
        for (int rep = 0; rep < reps; rep++) {
            double t0 = cpuMs();
            for (Matrix m : ms) plain.decompose(m);
            double t1 = cpuMs();
            for (Matrix m : ms) blocked.decompose(m);
            double t2 = cpuMs();
            if (rep >= reps / 3) { // the first third warms the JIT up
                bestPlain = Math.min(bestPlain, (t1 - t0) / mats);
                bestBlocked = Math.min(bestBlocked, (t2 - t1) / mats);
            }
            if (rep % 10 == 9) System.out.printf("rep %3d: plain %.3f ms, blocked %.3f ms per SVD%n", rep + 1, (t1 - t0) / mats, (t2 - t1) / mats);
        }
        System.out.printf("best after warm-up: plain %.3f ms, blocked %.3f ms per 128x128 SVD (%.2fx)%n", bestPlain, bestBlocked, bestPlain / bestBlocked);
    }
}
