package io.geocont.backend.cuda;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/** Twin tensors on the CPU reference and the GPU, and the comparison the GPU tests use. */
final class GpuCompare {
    final Backend cpu, gpu;
    private final SplittableRandom rnd;

    GpuCompare(Backend cpu, Backend gpu, long seed) {
        this.cpu = cpu;
        this.gpu = gpu;
        this.rnd = new SplittableRandom(seed);
    }

    /** A pair holding the same values: [0] on the CPU, [1] on the GPU. */
    Tensor[] of(float[] data, int... shape) { return new Tensor[]{cpu.fromArray(data, shape), gpu.fromArray(data, shape)}; }

    Tensor[] random(float scale, int... shape) { return of(randomArray(size(shape), scale), shape); }

    /** Outputs start as NaN so an element the GPU forgets to write fails the comparison. */
    Tensor[] poisoned(int... shape) {
        float[] nan = new float[size(shape)];
        Arrays.fill(nan, Float.NaN);
        return of(nan, shape);
    }

    float[] randomArray(int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * scale);
        return x;
    }

    int nextInt(int bound) { return rnd.nextInt(bound); }

    static int size(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** |gpu - cpu| <= rel * (|cpu| + max|cpu|) element-wise (relative, scaled by the array's magnitude). */
    static void assertClose(String what, Tensor[] pair, double rel) { assertClose(what, pair[0].toArray(), pair[1].toArray(), rel); }

    static void assertClose(String what, float[] want, float[] got, double rel) {
        if (want.length != got.length) fail(what + ": length " + got.length + " != " + want.length);
        double max = 0;
        for (float w : want) if (Float.isFinite(w)) max = Math.max(max, Math.abs(w));
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i]) != Float.isNaN(got[i]) || Math.abs(got[i] - want[i]) > rel * (Math.abs(want[i]) + max + 1e-30))
                fail(what + ": element " + i + " gpu " + got[i] + " cpu " + want[i] + " (max |cpu| " + max + ", rel " + rel + ")");
        }
    }
}
