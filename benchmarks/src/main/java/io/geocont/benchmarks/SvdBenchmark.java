package io.geocont.benchmarks;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.svd.Svds;
import io.geocont.linalg.SvdResult;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Exact SVD (all triplets) of a random square float32 matrix; numpy_peer.py times numpy.linalg.svd (float64) at the same n. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SvdBenchmark {
    @Param({"64", "128", "256", "512"})
    public int n;

    private Matrix m;
    private Svd svd;

    @Setup
    public void setup() {
        Random rnd = new Random(2);
        float[] x = new float[n * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        m = new Matrix(n, n, x);
        svd = Svds.exact();
    }

    @Benchmark
    public SvdResult exactSvd() {
        return svd.decompose(m);
    }
}
