package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * DESIGN: the same seed on the CPU gives bitwise the same run. Every multithreaded op must give
 * bitwise identical results when repeated, and (by construction of our partitioning) also for
 * any thread count.
 */
class DeterminismTest {

    /** Runs a fixed sequence of multithreaded ops and returns every output, concatenated. */
    private static float[] run(CpuBackend b) {
        Random rnd = new Random(99);
        int m = 257, n = 190, k = 333;
        Tensor a = b.fromArray(GradCheck.randn(rnd, m * k, 1), m, k), w = b.fromArray(GradCheck.randn(rnd, n * k, 1), n, k);
        Tensor c = b.zeros(m, n), out = b.zeros(m, n), bias = b.fromArray(GradCheck.randn(rnd, n, 1), n);
        b.matmul(false, true, 1f, a, w, 0f, c);
        Tensor dA = b.zeros(m, k), dW = b.zeros(n, k);
        b.matmul(false, false, 1f, c, w, 0f, dA);
        b.matmul(true, false, 1f, c, a, 0f, dW);
        b.biasActForward(c, bias, Activation.RADIAL_TANH, 0, null, out);
        Tensor dPre = b.zeros(m, n), dBias = b.zeros(n);
        b.biasActBackward(out, c, Activation.GELU, 0, dPre, dBias);
        Tensor ln = b.zeros(m, n), mean = b.zeros(m), rstd = b.zeros(m), dx = b.zeros(m, n), dg = b.zeros(n), db = b.zeros(n);
        b.layerNormForward(out, bias, bias, 1e-5f, ln, mean, rstd);
        b.layerNormBackward(dPre, out, bias, mean, rstd, dx, dg, db);
        Tensor tok = b.fromArray(new float[m], m), table = b.zeros(4, k);
        for (int i = 0; i < m; i++) ((CpuTensor) tok).data()[i] = i % 4;
        b.embeddingBackward(dA, tok, table);
        Tensor bat = b.zeros(8, 64, 64);
        Tensor q = b.fromArray(GradCheck.randn(rnd, 8 * 64 * 32, 1), 8, 64, 32);
        b.gemmStridedBatched(false, true, 64, 64, 32, 1f, q, 0, 32, 64 * 32, q, 0, 32, 64 * 32, 0f, bat, 0, 64, 64 * 64, 8);
        double s = b.sum(dA) + b.sumSquares(dW) + b.dot(dx, dPre);
        float[][] parts = {c.toArray(), dA.toArray(), dW.toArray(), out.toArray(), dPre.toArray(), dBias.toArray(), ln.toArray(),
                dx.toArray(), dg.toArray(), db.toArray(), table.toArray(), bat.toArray(), {(float) s, (float) (s - (float) s)}};
        int len = 0;
        for (float[] p : parts) len += p.length;
        float[] all = new float[len];
        int at = 0;
        for (float[] p : parts) { System.arraycopy(p, 0, all, at, p.length); at += p.length; }
        return all;
    }

    private static int[] bits(float[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) r[i] = Float.floatToRawIntBits(x[i]);
        return r;
    }

    @Test
    void repeatedRunsAndThreadCountsAreBitwiseIdentical() {
        int[] first, second, single, four;
        try (CpuBackend b = new CpuBackend(2)) {
            first = bits(run(b));
            second = bits(run(b));
        }
        try (CpuBackend b = new CpuBackend(1)) { single = bits(run(b)); }
        try (CpuBackend b = new CpuBackend(4)) { four = bits(run(b)); }
        assertArrayEquals(first, second, "same backend, same inputs");
        assertArrayEquals(first, single, "2 threads vs 1 thread");
        assertArrayEquals(first, four, "2 threads vs 4 threads");
        assertFalse(Arrays.stream(first).allMatch(v -> v == 0), "the ops actually produced values");
    }
}
