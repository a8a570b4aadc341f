package io.geocont.benchmarks;

import io.geocont.backend.Tensor;
import io.geocont.backend.cpu.CpuBackend;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Square float32 GEMM C = A B on the CPU backend with every available core. GFLOP/s = 2 n^3 / time;
 * cpu-peers.sh converts and compares with numpy (OpenBLAS) at the same n.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SgemmBenchmark {
    @Param({"256", "512", "1024", "2048"})
    public int n;

    private CpuBackend backend;
    private Tensor a, b, c;

    @Setup
    public void setup() {
        backend = new CpuBackend();
        Random rnd = new Random(1);
        float[] x = new float[n * n], y = new float[n * n];
        for (int i = 0; i < x.length; i++) { x[i] = rnd.nextFloat() - 0.5f; y[i] = rnd.nextFloat() - 0.5f; }
        a = backend.fromArray(x, n, n);
        b = backend.fromArray(y, n, n);
        c = backend.zeros(n, n);
    }

    @TearDown
    public void tearDown() { backend.close(); }

    @Benchmark
    public Tensor sgemm() {
        backend.matmul(false, false, 1f, a, b, 0f, c);
        return c;
    }
}
