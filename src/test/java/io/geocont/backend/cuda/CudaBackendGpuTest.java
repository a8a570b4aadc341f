package io.geocont.backend.cuda;

import io.geocont.backend.Activation;
import io.geocont.backend.BackendStatus;
import io.geocont.backend.Tensor;
import io.geocont.backend.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.geocont.backend.cuda.GpuCompare.assertClose;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every op of the CUDA backend against the CPU reference on fresh random inputs, outputs
 * NaN-poisoned, tolerance relative 1e-4 (the GPU-vs-CPU bar of README "CUDA backend"). Runs only where a CUDA device is usable;
 * elsewhere the whole class is skipped with the probe's reason.
 */
@Tag("gpu")
class CudaBackendGpuTest {
    private static final double OP = 1e-4;
    private static CpuBackend cpuB;
    private static CudaBackend gpuB;
    private static String reason;

    private static boolean available() { return gpuB != null; }

    @BeforeAll static void open() {
        BackendStatus st = CudaProbe.status();
        reason = st.reason();
        if (!st.available()) { // every test is then skipped, one by one, with this reason
            System.err.println(CudaBackendGpuTest.class.getSimpleName() + ": skipping the gpu tests: " + reason);
            return;
        }
        cpuB = new CpuBackend(2);
        gpuB = new CudaBackend();
    }

    /** Per test (not in @BeforeAll) so that each skipped test is reported with the reason. */
    @BeforeEach void needsDevice() { assumeTrue(reason != null && available(), "no usable CUDA device: " + reason); }

    @AfterAll static void close() {
        if (gpuB != null) gpuB.close();
        if (cpuB != null) cpuB.close();
    }

    private static GpuCompare c(long seed) { return new GpuCompare(cpuB, gpuB, seed); }

    @Test void gemmEveryTransposeWithOffsetsAndLeadingDimensions() {
        GpuCompare c = c(1);
        int m = 37, n = 29, k = 45, pad = 3;
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true}) {
                int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                Tensor[] a = c.random(1, aRows * (aCols + pad) + 5), b = c.random(1, bRows * (bCols + pad) + 7);
                Tensor[] cc = c.poisoned(m * (n + pad) + 2);
                for (int side = 0; side < 2; side++)
                    (side == 0 ? cpuB : gpuB).gemm(ta, tb, m, n, k, 0.7f, a[side], 5, aCols + pad, b[side], 7, bCols + pad,
                            0f, cc[side], 2, n + pad);
                // poison outside C's block stays NaN on both sides; inside must agree
                assertClose("gemm " + ta + tb + " beta=0", cc, OP);
                Tensor[] c2 = c.random(1, m, n);
                for (int side = 0; side < 2; side++)
                    (side == 0 ? cpuB : gpuB).gemm(ta, tb, m, n, k, 1f, a[side], 5, aCols + pad, b[side], 7, bCols + pad,
                            0.5f, c2[side], 0, n);
                assertClose("gemm " + ta + tb + " beta=0.5", c2, OP);
            }
    }

    @Test void stridedBatchedGemm() {
        GpuCompare c = c(2);
        int m = 16, n = 24, k = 8, batch = 5;
        Tensor[] a = c.random(1, batch, m, k), b = c.random(1, batch, n, k), out = c.poisoned(batch, m, n);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).gemmStridedBatched(false, true, m, n, k, 1f, a[side], 0, k, (long) m * k,
                    b[side], 0, k, (long) n * k, 0f, out[side], 0, n, (long) m * n, batch);
        assertClose("gemmStridedBatched", out, OP);
    }

    @ParameterizedTest @EnumSource(Activation.class)
    void biasActivationResidualForwardAndBackward(Activation act) {
        GpuCompare c = c(3 + act.ordinal());
        int rows = 33, cols = 300;
        Tensor[] z = c.random(1, rows, cols), bias = c.random(0.5f, cols), res = c.random(1, rows, cols), out = c.poisoned(rows, cols);
        // one zero row exercises the radial forms' r = 0 convention
        float[] zz = z[0].toArray();
        java.util.Arrays.fill(zz, 0, cols, 0f);
        z[0].copyFrom(zz);
        z[1].copyFrom(zz);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).biasActForward(z[side], side == 0 ? bias[0] : bias[1], act, 0.5f,
                    res[side], out[side]);
        assertClose(act + " pre-activation", z, OP);
        assertClose(act + " forward", out, OP);
        Tensor[] dOut = c.random(1, rows, cols), dPre = c.poisoned(rows, cols), dBias = c.poisoned(cols);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).biasActBackward(dOut[side], z[side], act, 0.5f, dPre[side], dBias[side]);
        assertClose(act + " dPre", dPre, OP);
        assertClose(act + " dBias", dBias, OP);
        Tensor[] out2 = c.poisoned(rows, cols);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).biasActForward(z[side], null, act, 0f, null, out2[side]);
        assertClose(act + " forward without bias/residual", out2, OP);
    }

    @ParameterizedTest @EnumSource(Activation.class)
    void gatedActivationForwardAndBackward(Activation act) {
        GpuCompare c = c(20 + act.ordinal());
        int rows = 17, cols = 520;
        Tensor[] g = c.random(1, rows, cols), u = c.random(1, rows, cols), out = c.poisoned(rows, cols);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).gatedActForward(g[side], u[side], act, 0.3f, out[side]);
        assertClose(act + " gated forward", out, OP);
        Tensor[] d = c.random(1, rows, cols), dg = c.poisoned(rows, cols), du = c.poisoned(rows, cols);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).gatedActBackward(d[side], g[side], u[side], act, 0.3f, dg[side], du[side]);
        assertClose(act + " dGate", dg, OP);
        assertClose(act + " dUp", du, OP);
    }

    @Test void layerNormForwardBackward() {
        GpuCompare c = c(40);
        int rows = 19, cols = 700;
        Tensor[] x = c.random(2, rows, cols), gamma = c.random(1, cols), beta = c.random(1, cols);
        Tensor[] out = c.poisoned(rows, cols), mean = c.poisoned(rows), rstd = c.poisoned(rows);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).layerNormForward(x[side], gamma[side], beta[side], 1e-5f, out[side], mean[side], rstd[side]);
        assertClose("ln out", out, OP);
        assertClose("ln mean", mean, OP);
        assertClose("ln rstd", rstd, OP);
        Tensor[] d = c.random(1, rows, cols), dx = c.poisoned(rows, cols), dg = c.random(1, cols), db = c.random(1, cols);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).layerNormBackward(d[side], x[side], gamma[side], mean[side], rstd[side], dx[side], dg[side], db[side]);
        assertClose("ln dx", dx, OP);
        assertClose("ln dGamma (accumulated)", dg, OP);
        assertClose("ln dBeta (accumulated)", db, OP);
        Tensor[] dx2 = c.poisoned(rows, cols);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).layerNormBackward(d[side], x[side], null, mean[side], rstd[side], dx2[side], null, null);
        assertClose("ln dx without gamma", dx2, OP);
    }

    @Test void rmsNormForwardBackward() {
        GpuCompare c = c(41);
        int rows = 23, cols = 333;
        Tensor[] x = c.random(2, rows, cols), gamma = c.random(1, cols), out = c.poisoned(rows, cols), rstd = c.poisoned(rows);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).rmsNormForward(x[side], gamma[side], 1e-6f, out[side], rstd[side]);
        assertClose("rms out", out, OP);
        assertClose("rms rstd", rstd, OP);
        Tensor[] d = c.random(1, rows, cols), dx = c.poisoned(rows, cols), dg = c.random(1, cols);
        for (int side = 0; side < 2; side++)
            (side == 0 ? cpuB : gpuB).rmsNormBackward(d[side], x[side], gamma[side], rstd[side], dx[side], dg[side]);
        assertClose("rms dx", dx, OP);
        assertClose("rms dGamma", dg, OP);
    }

    @Test void softmaxCrossEntropyAndBadLabel() {
        GpuCompare c = c(42);
        int rows = 64, classes = 1000;
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) y[i] = c.nextInt(classes);
        Tensor[] logits = c.random(3, rows, classes), labels = c.of(y, rows), d = c.poisoned(rows, classes), loss = c.poisoned(rows);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).softmaxCrossEntropy(logits[side], labels[side], d[side], loss[side]);
        assertClose("ce dLogits", d, OP);
        assertClose("ce rowLoss", loss, OP);
        y[5] = classes; // out of range: reported at the next sync, naming the op and the row
        labels[1].copyFrom(y);
        gpuB.softmaxCrossEntropy(logits[1], labels[1], d[1], loss[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, gpuB::synchronize);
        assertTrue(e.getMessage().contains("softmaxCrossEntropy: label at row 5"), e.getMessage());
        gpuB.synchronize(); // the error word was cleared
    }

    @Test void causalSoftmaxAndRope() {
        GpuCompare c = c(43);
        int bh = 6, t = 40;
        Tensor[] s = c.random(2, bh, t, t), p = c.poisoned(bh, t, t);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).causalSoftmaxForward(s[side], 0.125f, bh, t, p[side]);
        assertClose("causal softmax", p, OP);
        Tensor[] dp = c.random(1, bh, t, t), ds = c.poisoned(bh, t, t);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).causalSoftmaxBackward(dp[side], p[side], 0.125f, bh, t, ds[side]);
        assertClose("causal softmax backward", ds, OP);
        int batch = 3, heads = 4, hd = 32;
        Tensor[] x = c.random(1, batch, t, heads, hd);
        for (boolean inverse : new boolean[]{false, true}) {
            for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).rope(x[side], batch, t, heads, hd, 10000f, inverse);
            assertClose("rope inverse=" + inverse, x, OP);
        }
    }

    @Test void embeddingForwardBackwardWithRepeatedTokens() {
        GpuCompare c = c(44);
        int vocab = 50, d = 96, rows = 70;
        float[] tok = new float[rows];
        for (int i = 0; i < rows; i++) tok[i] = c.nextInt(10); // many repeats
        Tensor[] table = c.random(1, vocab, d), tokens = c.of(tok, rows), out = c.poisoned(rows, d);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).embeddingForward(table[side], tokens[side], out[side]);
        assertClose("embedding forward", out, 0);
        Tensor[] dOut = c.random(1, rows, d), dTable = c.random(1, vocab, d);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).embeddingBackward(dOut[side], tokens[side], dTable[side]);
        assertClose("embedding backward (accumulates)", dTable, OP);
    }

    @Test void elementWiseColumnSumsAndReductions() {
        GpuCompare c = c(45);
        int rows = 300, cols = 77, n = rows * cols;
        Tensor[] x = c.random(1, rows, cols), y = c.random(1, rows, cols), out = c.poisoned(rows, cols);
        for (int side = 0; side < 2; side++) {
            var b = side == 0 ? cpuB : gpuB;
            b.axpy(0.3f, x[side], y[side]);
            b.scale(y[side], -1.7f);
            b.add(x[side], y[side], out[side]);
        }
        assertClose("axpy/scale/add", out, OP);
        Tensor[] cs = c.poisoned(cols), acc = c.random(1, cols);
        for (int side = 0; side < 2; side++) {
            (side == 0 ? cpuB : gpuB).columnSum(out[side], cs[side], false);
            (side == 0 ? cpuB : gpuB).columnSum(out[side], acc[side], true);
        }
        assertClose("columnSum", cs, OP);
        assertClose("columnSum accumulate", acc, OP);
        assertEquals(cpuB.sum(x[0]), gpuB.sum(x[1]), 1e-9 * n);
        assertEquals(cpuB.sumSquares(x[0]), gpuB.sumSquares(x[1]), 1e-9 * cpuB.sumSquares(x[0]));
        assertEquals(cpuB.dot(x[0], y[0]), gpuB.dot(x[1], y[1]), 1e-9 * n);
        Tensor[] f = c.poisoned(5, 7);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).fill(f[side], 2.5f);
        assertClose("fill", f, 0);
        Tensor[] cp = c.poisoned(rows, cols);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).copy(x[side], cp[side]);
        assertClose("copy", cp, 0);
    }

    @Test void optimizerUpdates() {
        GpuCompare c = c(46);
        int n = 10_000;
        Tensor[] p = c.random(1, n), g = c.random(1, n), v = c.random(0.1f, n);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).sgdMomentumUpdate(p[side], g[side], v[side], 0.1f, 0.9f, 1e-4f, 0.5f);
        assertClose("sgd param", p, OP);
        assertClose("sgd velocity", v, OP);
        Tensor[] m = c.random(0.1f, n), vv = c.of(new float[n], n);
        for (int step = 1; step <= 3; step++)
            for (int side = 0; side < 2; side++)
                (side == 0 ? cpuB : gpuB).adamwUpdate(p[side], g[side], m[side], vv[side], 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, step, 1f);
        assertClose("adamw param", p, OP);
        assertClose("adamw m", m, OP);
        assertClose("adamw v", vv, OP);
    }

    @Test void continuityReductions() {
        GpuCompare c = c(47);
        int l = 12, d = 4096;
        Tensor[] vecs = c.random(1, l, d), out = c.poisoned(l - 1);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).adjacentAbsCos(vecs[side], out[side]);
        assertClose("adjacentAbsCos", out, 1e-5);
        int big = 300_001;
        Tensor[] stack = c.random(1, 5, big), dn = c.poisoned(9);
        for (int side = 0; side < 2; side++) (side == 0 ? cpuB : gpuB).adjacentDotsAndNorms(stack[side], dn[side]);
        assertClose("adjacentDotsAndNorms", dn, 1e-5);
    }

    /** linear -> bias+ReLU -> linear -> CE backward -> SGD step, compared after the step (1e-3). */
    @Test void shortTrainingChainMatchesCpu() {
        GpuCompare c = c(48);
        int batch = 32, in = 64, hidden = 128, classes = 10;
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) y[i] = c.nextInt(classes);
        Tensor[] x = c.random(1, batch, in), w1 = c.random(0.1f, hidden, in), b1 = c.random(0.1f, hidden);
        Tensor[] w2 = c.random(0.1f, classes, hidden), labels = c.of(y, batch);
        Tensor[] z = c.poisoned(batch, hidden), h = c.poisoned(batch, hidden), logits = c.poisoned(batch, classes);
        Tensor[] dl = c.poisoned(batch, classes), loss = c.poisoned(batch), dh = c.poisoned(batch, hidden);
        Tensor[] dw1 = c.poisoned(hidden, in), dw2 = c.poisoned(classes, hidden), db1 = c.poisoned(hidden);
        Tensor[] v1 = c.of(new float[hidden * in], hidden, in), v2 = c.of(new float[classes * hidden], classes, hidden);
        for (int side = 0; side < 2; side++) {
            var b = side == 0 ? cpuB : gpuB;
            b.matmul(false, true, 1f, x[side], w1[side], 0f, z[side]);
            b.biasActForward(z[side], b1[side], Activation.RELU, 0f, null, h[side]);
            b.matmul(false, true, 1f, h[side], w2[side], 0f, logits[side]);
            b.softmaxCrossEntropy(logits[side], labels[side], dl[side], loss[side]);
            b.matmul(true, false, 1f, dl[side], h[side], 0f, dw2[side]);
            b.matmul(false, false, 1f, dl[side], w2[side], 0f, dh[side]);
            b.biasActBackward(dh[side], z[side], Activation.RELU, 0f, dh[side], db1[side]);
            b.matmul(true, false, 1f, dh[side], x[side], 0f, dw1[side]);
            b.sgdMomentumUpdate(w1[side], dw1[side], v1[side], 0.1f, 0.9f, 0f, 1f);
            b.sgdMomentumUpdate(w2[side], dw2[side], v2[side], 0.1f, 0.9f, 0f, 1f);
        }
        assertClose("chain loss", loss, 1e-3);
        assertClose("chain w1 after step", w1, 1e-3);
        assertClose("chain w2 after step", w2, 1e-3);
    }

    @Test void closedTensorFreesItsMemoryAndRefusesUse() {
        int before = gpuB.openTensors();
        Tensor t = gpuB.zeros(1000);
        assertEquals(before + 1, gpuB.openTensors());
        t.close();
        assertEquals(before, gpuB.openTensors());
        assertThrows(IllegalStateException.class, t::toArray);
        assertThrows(IllegalArgumentException.class, () -> gpuB.axpy(1f, cpuB.zeros(3), gpuB.zeros(3)));
    }
}
