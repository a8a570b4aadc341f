package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.OpContracts;
import io.geocont.backend.Tensor;
import io.geocont.linalg.Lane;
import io.geocont.linalg.Parallel;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static io.geocont.backend.ShapeChecks.checkGemm;
import static io.geocont.backend.ShapeChecks.requireSameShape;
import static io.geocont.backend.ShapeChecks.requireSize;
import static io.geocont.backend.cpu.CpuOps.arr;
import static io.geocont.backend.cpu.CpuOps.arrOrNull;

/**
 * The pure-Java reference backend. Every op is deterministic: work is split over threads by
 * output index, and each output is computed in a fixed order (reductions in fixed chunks,
 * summed in chunk order), so a result does not depend on thread count or timing.
 * Activations are evaluated in double and rounded to float once ({@link ActivationMath}, which
 * also documents the radial activations' convention at a zero row: output 0, no NaN); GELU and
 * SiLU run on vectors ({@link VectorActivationMath}) and flush subnormal results to zero. GEMM is
 * {@link Gemm}; threading is {@link Parallel} (the one pool). This class holds the backend's
 * life cycle, its tensors and the GEMMs; the other ops live in one file per family, named after
 * the CUDA kernel file that mirrors them: {@link LayerOps} ({@code kernels/layers.cu}),
 * {@link AttentionOps} ({@code attention.cu}) and {@link ElementwiseOps} ({@code elementwise.cu}).
 */
public final class CpuBackend implements Backend {
    /** The most tasks one op splits into; 0 = as many as the pool has threads. */
    private final int maxChunks;

    // the op families, each in the file named after its CUDA twin's (kernels/elementwise.cu, ...)
    private final ElementwiseOps elementwise = new ElementwiseOps(this::forRange);
    private final LayerOps layers = new LayerOps(this::forRange, elementwise);
    private final AttentionOps attention = new AttentionOps(this::forRange);

    /**
     * A backend that splits each op over as many tasks as {@link Parallel}'s pool has threads
     * ({@code -Dgeocont.threads}, default every available processor).
     */
    public CpuBackend() { this.maxChunks = 0; }

    /**
     * A backend that splits each op into at most {@code threads} tasks (1 = everything on the
     * caller's thread); the tasks still run on {@link Parallel}'s pool, which bounds the cores used.
     */
    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("CPU backend needs at least 1 thread, got " + threads);
        this.maxChunks = threads;
    }

    /** The most tasks an op started now splits into. */
    public int threads() { return maxChunks == 0 ? Parallel.threads() : Math.min(maxChunks, Parallel.threads()); }

    /**
     * The tasks an op started now on this thread may split into: {@link #threads}, less the core
     * this thread's deferred GEMMs hold while any is pending (splitting then would put two tasks
     * on that core: a transformer backward with deferred weight gradients ran 0.231 s a step so,
     * against 0.218 s with neither). The bits do not depend on it.
     */
    private int freeThreads() {
        int t = threads();
        return t > 1 && deferred.get().busy() ? t - 1 : t;
    }

    private void forRange(int n, int grain, Parallel.RangeBody body) {
        Parallel.forRange(n, grain, freeThreads(), body);
    }

    @Override public String name() { return "cpu"; }

    @Override public String description() {
        return "CPU (pure Java), " + threads() + " threads, Vector API " + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                + "-bit, Java " + Runtime.version();
    }

    /** Yes: the backend holds no mutable state; scratch is per thread (Gemm) or per call. */
    @Override public boolean concurrentCallers() { return true; }

    /** Nothing to release: the threads belong to {@link Parallel}'s pool. */
    @Override public void close() { }

    // ---------------------------------------------------------------- memory

    @Override public Tensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) n *= Math.max(0, d);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("zeros: shape " + Arrays.toString(shape) + " too large for the CPU backend");
        return new CpuTensor(this, new float[(int) n], shape);
    }

    @Override public Tensor fromArray(float[] data, int... shape) {
        if (data == null) throw new IllegalArgumentException("fromArray: data must not be null");
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length)
            throw new IllegalArgumentException("fromArray: " + data.length + " values do not fill shape " + Arrays.toString(shape)
                    + " (" + n + " elements)");
        return new CpuTensor(this, data.clone(), shape);
    }

    @Override public void copy(Tensor src, Tensor dst) {
        float[] s = arr("copy", "src", src), d = arr("copy", "dst", dst);
        OpContracts.copy("copy", src, dst);
        System.arraycopy(s, 0, d, 0, s.length);
    }

    @Override public void fill(Tensor t, float value) { Arrays.fill(arr("fill", "t", t), value); }

    // ---------------------------------------------------------------- GEMM

    /** Where each calling thread's deferred GEMMs run: one pool worker beside it (see {@link Backend#gemmDeferred}). */
    private final ThreadLocal<Lane> deferred = ThreadLocal.withInitial(Lane::new);

    @Override public void gemmDeferred(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                       Tensor a, long offA, int lda, Tensor b, long offB, int ldb,
                                       float beta, Tensor c, long offC, int ldc) {
        String op = "gemm(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n + ", k=" + k + ")";
        float[] av = arr(op, "A", a), bv = arr(op, "B", b), cv = arr(op, "C", c);
        checkGemm(op, transA, transB, m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc);   // bad shapes fail here, not at await
        // one thread per deferred GEMM: the lane's worker is the second core, so splitting one
        // would only take it back from the caller (the bits do not depend on it)
        Runnable product = () -> Gemm.gemm(1, transA, transB, m, n, k, alpha, av, (int) offA, lda, bv, (int) offB, ldb, beta, cv, (int) offC, ldc);
        if (threads() < 2) product.run();   // a one-thread backend: now, on this thread
        else deferred.get().submit(product);
    }

    @Override public void awaitDeferred() { deferred.get().await(); }

    @Override public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               Tensor a, long offA, int lda, Tensor b, long offB, int ldb,
                               float beta, Tensor c, long offC, int ldc) {
        String op = "gemm(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n + ", k=" + k + ")";
        float[] av = arr(op, "A", a), bv = arr(op, "B", b), cv = arr(op, "C", c);
        checkGemm(op, transA, transB, m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc);
        Gemm.gemm(freeThreads(), transA, transB, m, n, k, alpha, av, (int) offA, lda, bv, (int) offB, ldb, beta, cv, (int) offC, ldc);
    }

    /**
     * For ReLU and the identity, fused: {@link Gemm} applies the bias and activation to each
     * tile of z right after its last k block ({@link BiasRelu}); other activations, and outputs
     * that alias an operand, take the two calls.
     */
    @Override public void linearActForward(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                           Tensor a, long offA, int lda, Tensor b, long offB, int ldb,
                                           Tensor z, Tensor bias, Activation act, float actParam, Tensor residual, Tensor out) {
        String op = "linearActForward(" + act + ", " + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n + ", k=" + k + ")";
        float[] av = arr(op, "A", a), bv = arr(op, "B", b), zv = arr(op, "z", z), ov = arr(op, "out", out);
        float[] biasv = arrOrNull(op, "bias", bias), rv = arrOrNull(op, "residual", residual);
        boolean fusable = (act == Activation.RELU || act == Activation.IDENTITY) && ov != av && ov != bv && zv != ov
                && z.rows() == m && z.cols() == n && z.size() == (long) m * n;
        if (!fusable) {
            Backend.super.linearActForward(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, z, bias, act, actParam, residual, out);
            return;
        }
        checkGemm(op, transA, transB, m, n, k, a, offA, lda, b, offB, ldb, z, 0, n);
        if (bias != null) requireSize(op, "bias", bias, n, "z's columns, z", z);
        if (residual != null) requireSameShape(op, "z", z, "residual", residual);
        requireSameShape(op, "z", z, "out", out);
        Gemm.gemm(freeThreads(), transA, transB, m, n, k, alpha, av, (int) offA, lda, bv, (int) offB, ldb, 0f, zv, 0, n,
                new BiasRelu(act == Activation.RELU, zv, biasv, rv, ov, n));
    }

    @Override public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                             Tensor a, long offA, int lda, long strideA,
                                             Tensor b, long offB, int ldb, long strideB,
                                             float beta, Tensor c, long offC, int ldc, long strideC, int batch) {
        String op = "gemmStridedBatched(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n
                + ", k=" + k + ", batch=" + batch + ")";
        float[] av = arr(op, "A", a), bv = arr(op, "B", b), cv = arr(op, "C", c);
        if (batch < 0) throw new IllegalArgumentException(op + ": negative batch");
        if (batch == 0) return;
        // The first and last matrices bound every other one (strides are non-negative).
        if (strideA < 0 || strideB < 0 || strideC < 0) throw new IllegalArgumentException(op + ": negative stride");
        checkGemm(op, transA, transB, m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc);
        checkGemm(op + " last matrix", transA, transB, m, n, k, a, offA + (batch - 1) * strideA, lda,
                b, offB + (batch - 1) * strideB, ldb, c, offC + (batch - 1) * strideC, ldc);
        long flopsEach = 2L * m * n * Math.max(1, k);
        int threads = freeThreads();
        if (batch >= threads && flopsEach < (1L << 22)) {
            // Many small products (attention heads): one product per task, each single-threaded inside.
            forRange(batch, 1, (p0, p1) -> {
                for (int p = p0; p < p1; p++)
                    Gemm.gemm(1, transA, transB, m, n, k, alpha, av, (int) (offA + p * strideA), lda,
                            bv, (int) (offB + p * strideB), ldb, beta, cv, (int) (offC + p * strideC), ldc);
            });
        } else {
            for (int p = 0; p < batch; p++)
                Gemm.gemm(threads, transA, transB, m, n, k, alpha, av, (int) (offA + p * strideA), lda,
                        bv, (int) (offB + p * strideB), ldb, beta, cv, (int) (offC + p * strideC), ldc);
        }
    }

    // ---------------------------------------------------------------- fused layers (LayerOps, as kernels/layers.cu)

    @Override public void biasActForward(Tensor z, Tensor bias, Activation act, float actParam, Tensor residual, Tensor out) {
        layers.biasActForward(z, bias, act, actParam, residual, out);
    }
    @Override public void biasActBackward(Tensor dOut, Tensor pre, Activation act, float actParam, Tensor dPre, Tensor dBias) {
        layers.biasActBackward(dOut, pre, act, actParam, dPre, dBias);
    }
    @Override public void gatedActForward(Tensor gate, Tensor up, Activation act, float actParam, Tensor out) {
        layers.gatedActForward(gate, up, act, actParam, out);
    }
    @Override public void gatedActBackward(Tensor dOut, Tensor gate, Tensor up, Activation act, float actParam, Tensor dGate, Tensor dUp) {
        layers.gatedActBackward(dOut, gate, up, act, actParam, dGate, dUp);
    }
    @Override public void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        layers.layerNormForward(x, gamma, beta, eps, out, mean, rstd);
    }
    @Override public void layerNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor dx, Tensor dGamma, Tensor dBeta) {
        layers.layerNormBackward(dOut, x, gamma, mean, rstd, dx, dGamma, dBeta);
    }
    @Override public void rmsNormForward(Tensor x, Tensor gamma, float eps, Tensor out, Tensor rstd) {
        layers.rmsNormForward(x, gamma, eps, out, rstd);
    }
    @Override public void rmsNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor rstd, Tensor dx, Tensor dGamma) {
        layers.rmsNormBackward(dOut, x, gamma, rstd, dx, dGamma);
    }

    // ---------------------------------------------------------------- attention pieces (AttentionOps, as kernels/attention.cu)

    @Override public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor rowLoss) {
        attention.softmaxCrossEntropy(logits, labels, dLogits, rowLoss);
    }
    @Override public void causalSoftmaxForward(Tensor scores, float scale, int batchHeads, int t, Tensor probs) {
        attention.causalSoftmaxForward(scores, scale, batchHeads, t, probs);
    }
    @Override public void causalSoftmaxBackward(Tensor dProbs, Tensor probs, float scale, int batchHeads, int t, Tensor dScores) {
        attention.causalSoftmaxBackward(dProbs, probs, scale, batchHeads, t, dScores);
    }
    @Override public void rope(Tensor x, int batch, int t, int heads, int headDim, float theta, boolean inverse) {
        attention.rope(x, batch, t, heads, headDim, theta, inverse);
    }
    @Override public void embeddingForward(Tensor table, Tensor tokens, Tensor out) { attention.embeddingForward(table, tokens, out); }
    @Override public void embeddingBackward(Tensor dOut, Tensor tokens, Tensor dTable) { attention.embeddingBackward(dOut, tokens, dTable); }

    // ---------------------------------------------------------------- element-wise, reductions, optimizers,
    // continuity reductions (ElementwiseOps, as kernels/elementwise.cu)

    @Override public void axpy(float alpha, Tensor x, Tensor y) { elementwise.axpy(alpha, x, y); }
    @Override public void scale(Tensor x, float alpha) { elementwise.scale(x, alpha); }
    @Override public void add(Tensor a, Tensor b, Tensor out) { elementwise.add(a, b, out); }
    @Override public void columnSum(Tensor x, Tensor out, boolean accumulate) { elementwise.columnSum(x, out, accumulate); }
    @Override public double sumSquares(Tensor x) { return elementwise.sumSquares(x); }
    @Override public double dot(Tensor a, Tensor b) { return elementwise.dot(a, b); }
    @Override public double sum(Tensor x) { return elementwise.sum(x); }
    @Override public void sgdMomentumUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float weightDecay, float gradScale) {
        elementwise.sgdMomentumUpdate(param, grad, velocity, lr, momentum, weightDecay, gradScale);
    }
    @Override public void adamwUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                                      float eps, float weightDecay, int step, float gradScale) {
        elementwise.adamwUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, gradScale);
    }
    @Override public void adjacentAbsCos(Tensor vecs, Tensor out) { elementwise.adjacentAbsCos(vecs, out); }
    @Override public void adjacentDotsAndNorms(Tensor stack, Tensor out) { elementwise.adjacentDotsAndNorms(stack, out); }
}
