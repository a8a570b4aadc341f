package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.util.SplitMix64;

import java.lang.management.ManagementFactory;

/**
 * ms per 128 x 128 Gram-eigen SVD and per phase of it (Gram matrix, Householder
 * tridiagonalization with Q, tql2, U = X V), on twelve matrices shaped like trained
 * residual-MLP weights (identity plus Gaussian / sqrt(d)), thread CPU time, best after warm-up.
 * Package io.geocont.linalg.svd to reach the package-private phases. From the repository root,
 * after `mvn -o -B test-compile`:
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
        GramEigenSvd svd = new GramEigenSvd();
        double best = Double.MAX_VALUE, bestGram = Double.MAX_VALUE, bestReduce = Double.MAX_VALUE, bestQl = Double.MAX_VALUE, bestTri = Double.MAX_VALUE;
        for (int rep = 0; rep < reps; rep++) {
            double t0 = cpuMs();
            for (Matrix m : ms) svd.decompose(m);
            double t1 = cpuMs(), gram = 0, reduce = 0, ql = 0, tri = 0;
            for (Matrix m : ms) {                  // the same phases one by one
                double p0 = cpuMs();
                double[][] x = GramEigenSvd.rowsAsDouble(m), z = new double[n][n];
                EigenKernels.gramUpper(x, n, n, z);
                for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) z[i][j] = z[j][i];
                double p1 = cpuMs();
                double[] d = new double[n], e = new double[n];
                double[] tau = new double[n];
                HouseholderTridiagonal.tridiagonalize(z, n, d, e, tau);
                double pq = cpuMs();
                HouseholderTridiagonal.formQTransposed(z, n, tau);
                double p2 = cpuMs();
                tri += pq - p1;
                GramEigenSvd.tql2(z, d, e);
                double p3 = cpuMs();
                gram += p1 - p0; reduce += p2 - p1; ql += p3 - p2;
            }
            if (rep >= reps / 3) { // the first third warms the JIT up
                best = Math.min(best, (t1 - t0) / mats);
                bestGram = Math.min(bestGram, gram / mats);
                bestReduce = Math.min(bestReduce, reduce / mats);
                bestQl = Math.min(bestQl, ql / mats);
                bestTri = Math.min(bestTri, tri / mats);
            }
            if (rep % 10 == 9) System.out.printf("rep %3d: %.3f ms per SVD%n", rep + 1, (t1 - t0) / mats);
        }
        System.out.printf("best after warm-up: %.3f ms per 128x128 SVD; phases: Gram %.3f, tridiagonal + Q %.3f (of which T alone %.3f), tql2 %.3f, the rest (U = X V, copies) %.3f ms%n",
                best, bestGram, bestReduce, bestTri, bestQl, best - bestGram - bestReduce - bestQl);
    }
}
