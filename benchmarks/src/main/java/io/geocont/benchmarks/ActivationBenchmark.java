package io.geocont.benchmarks;

import io.geocont.backend.Activation;
import io.geocont.backend.Tensor;
import io.geocont.backend.cpu.CpuBackend;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The fused bias + activation (+ residual) forward and its backward (with the bias gradient) on
 * the CPU backend, at the toy MLP's shape (batch 128 x width 128, one thread: ops this small run
 * on the caller's thread anyway). ns per element = score / (rows * cols). The bias is zero so
 * that z, which the forward updates in place (z += bias), stays the same between calls.
 * Each activation runs in a JVM of its own (JMH forks per parameter), so this does not see what a
 * sweep sees when one JVM has compiled GELU before SiLU (VectorActivationMath says why that once
 * mattered); the mixed case needs a harness that warms both in one JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class ActivationBenchmark {
    @Param({"RELU", "GELU", "SILU"})
    public Activation act;

    @Param({"128"})
    public int rows;

    @Param({"128"})
    public int cols;

    private CpuBackend backend;
    private Tensor z, bias, residual, out, dOut, dPre, dBias;

    @Setup
    public void setup() {
        backend = new CpuBackend(1);
        Random rnd = new Random(1);
        float[] x = new float[rows * cols], g = new float[rows * cols];
        for (int i = 0; i < x.length; i++) { x[i] = (float) (2 * rnd.nextGaussian()); g[i] = (float) rnd.nextGaussian(); }
        z = backend.fromArray(x, rows, cols);
        residual = backend.fromArray(g, rows, cols);
        dOut = backend.fromArray(g, rows, cols);
        bias = backend.zeros(cols);
        out = backend.zeros(rows, cols);
        dPre = backend.zeros(rows, cols);
        dBias = backend.zeros(cols);
    }

    @TearDown
    public void tearDown() { backend.close(); }

    @Benchmark
    public Tensor forward() {
        backend.biasActForward(z, bias, act, 0f, residual, out);
        return out;
    }

    @Benchmark
    public Tensor backward() {
        backend.biasActBackward(dOut, z, act, 0f, dPre, dBias);
        return dPre;
    }
}
