package io.geocont.benchmarks;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.Parallel;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One fused A^T (A X) pass of the top-k solver (Matrix.applyGram: y = A x and z = A^T y for one
 * or two vectors, reading A once) on a heap float32 matrix, on 1 thread (every pass inline) and
 * on 2 (row blocks split across the pool whenever there are two or more of them). The shapes:
 * a small one, MiniLM's 384 x 384, one that fits in two L2 caches but not one, and the 1024 x
 * 4096 attention shape of the 8B-shaped checkpoint. Wall time per pass (SampleTime).
 *
 * <p>java -jar benchmarks/target/benchmarks.jar GramPassBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class GramPassBenchmark {
    @Param({"256x64", "384x384", "768x768", "1024x4096"})
    public String shape;

    @Param({"1", "2"})
    public int vectors;

    @Param({"1", "2"})
    public int threads;

    private Matrix a;
    private float[][] x;
    private double[][] y, z;

    @Setup
    public void setup() {
        String[] mn = shape.split("x");
        int m = Integer.parseInt(mn[0]), n = Integer.parseInt(mn[1]);
        Random rnd = new Random(3);
        float[] data = new float[m * n];
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextGaussian();
        a = new Matrix(m, n, data);
        x = new float[vectors][n];
        for (float[] v : x) for (int j = 0; j < n; j++) v[j] = (float) rnd.nextGaussian();
        y = new double[vectors][m];
        z = new double[vectors][n];
        Parallel.setThreads(threads);
    }

    @Benchmark
    public double[][] pass() {
        a.applyGram(x, y, z);
        return z;
    }
}
