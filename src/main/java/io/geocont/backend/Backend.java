package io.geocont.backend;

/**
 * The ops the models, trainers and metrics need, on one device. Every tensor passed to a
 * backend must have been made by that backend. All matrices are row-major; "rows x cols" of a
 * tensor means {@link Tensor#rows()} x {@link Tensor#cols()}.
 *
 * <p>Output tensors are passed in (never allocated per call) so a training step can reuse a
 * workspace. Unless a method says "accumulates", outputs are overwritten. Methods returning a
 * host value (double, float) synchronize with the device; everything else may be asynchronous
 * on one stream, in call order.
 *
 * <p>The CPU backend ({@code io.geocont.backend.cpu.CpuBackend}) is the numerical reference:
 * every other backend is tested against it.
 */
public interface Backend extends AutoCloseable {

    /** Short name: "cpu", "cuda". */
    String name();

    /** One line for humans: device, threads, library versions. */
    String description();

    // ---------------------------------------------------------------- memory

    /** A new zero-filled tensor. */
    Tensor zeros(int... shape);

    /** A new tensor holding a copy of {@code data} (length must equal the shape's product). */
    Tensor fromArray(float[] data, int... shape);

    /** dst := src (same size). */
    void copy(Tensor src, Tensor dst);

    /** Every element := value. */
    void fill(Tensor t, float value);

    /** Waits until every queued op has finished (no-op on the CPU). */
    default void synchronize() { }

    /**
     * Whether ops on distinct tensors may be called from several threads at once (the CPU: yes;
     * a GPU backend with one stream: no). A sweep then trains several runs side by side.
     */
    default boolean concurrentCallers() { return false; }

    // ---------------------------------------------------------------- GEMM

    /**
     * Row-major GEMM on sub-blocks: C[m x n] = alpha * op(A) op(B) + beta * C, where op(A) is
     * m x k (A stored k x m when transA), op(B) is k x n (B stored n x k when transB). Element
     * (i, j) of a stored matrix X lives at X[offX + i * ldX + j]. When beta == 0, C is not read
     * (NaN in C does not propagate).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, Tensor a, long offA, int lda,
              Tensor b, long offB, int ldb,
              float beta, Tensor c, long offC, int ldc);

    /**
     * As {@link #gemm}, but C is needed only after the next {@link #awaitDeferred}: a weight
     * gradient, which nothing else in the backward pass reads. Until then the caller must not
     * write A, B or C, and C must not be an input of a later op. The CPU backend runs it beside
     * the caller's chain of data-gradient ops ({@link io.geocont.linalg.Lane}); the default runs it
     * now, which a backend with one ordered stream may keep. The result is the same either way.
     */
    default void gemmDeferred(boolean transA, boolean transB, int m, int n, int k,
                              float alpha, Tensor a, long offA, int lda,
                              Tensor b, long offB, int ldb,
                              float beta, Tensor c, long offC, int ldc) {
        gemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    /** Waits for every {@link #gemmDeferred} so far; rethrows the first one's failure. */
    default void awaitDeferred() { }

    /**
     * {@code batch} independent GEMMs as in {@link #gemm}; matrix p of A starts at
     * offA + p * strideA (likewise B, C).
     */
    void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, Tensor a, long offA, int lda, long strideA,
                            Tensor b, long offB, int ldb, long strideB,
                            float beta, Tensor c, long offC, int ldc, long strideC, int batch);

    /**
     * Whole-tensor convenience: C = alpha op(A) op(B) + beta C with A, B, C viewed as matrices
     * (rows x cols), dimensions checked.
     */
    default void matmul(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n)
            throw new IllegalArgumentException("matmul shapes: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + c.rows() + "x" + c.cols());
        gemm(transA, transB, m, n, k, alpha, a, 0, a.cols(), b, 0, b.cols(), beta, c, 0, c.cols());
    }

    // ---------------------------------------------------------------- fused layers

    /**
     * out = act(z + bias) (+ residual). z is [rows, cols]; bias [cols] or null; residual
     * [rows, cols] or null. On return z holds the pre-activation z + bias (the backward cache).
     * For row-wise activations the norm is over each row of z + bias. {@code actParam} is
     * RADIAL_RELU's b and is ignored by the others. out may alias residual but not z.
     */
    void biasActForward(Tensor z, Tensor bias, Activation act, float actParam, Tensor residual, Tensor out);

    /**
     * A dense layer's forward: z = alpha op(A) op(B) as {@link #gemm} with beta = 0 into the whole
     * of z (m x n, ldc = n), then {@link #biasActForward}(z, bias, act, actParam, residual, out).
     * A backend may fuse the two (the CPU applies the bias and a ReLU or identity to each tile of z
     * while it is in cache); the values are those of the two calls.
     */
    default void linearActForward(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  Tensor a, long offA, int lda, Tensor b, long offB, int ldb,
                                  Tensor z, Tensor bias, Activation act, float actParam, Tensor residual, Tensor out) {
        gemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, 0f, z, 0, n);
        biasActForward(z, bias, act, actParam, residual, out);
    }

    /**
     * Backward of {@link #biasActForward}: dPre = dOut * act'(pre) (a per-row Jacobian-vector
     * product for row-wise activations); dBias (may be null) = column sums of dPre. The residual
     * branch's gradient is dOut itself, which the caller adds. dPre may alias dOut.
     */
    void biasActBackward(Tensor dOut, Tensor pre, Activation act, float actParam, Tensor dPre, Tensor dBias);

    /**
     * Gated activation (SwiGLU when act = SILU): out = act(gate) * up, all [rows, cols].
     * Row-wise activations are applied per row of gate.
     */
    void gatedActForward(Tensor gate, Tensor up, Activation act, float actParam, Tensor out);

    /** Backward of {@link #gatedActForward}: writes dGate and dUp. */
    void gatedActBackward(Tensor dOut, Tensor gate, Tensor up, Activation act, float actParam, Tensor dGate, Tensor dUp);

    /**
     * LayerNorm over the last dimension: out = (x - mean) * rstd * gamma + beta. gamma [cols]
     * (null = ones), beta [cols] (null = zeros). Writes mean[rows] and rstd[rows] for backward.
     */
    void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd);

    /** Backward of LayerNorm: writes dx; accumulates into dGamma and dBeta when not null. */
    void layerNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                           Tensor dx, Tensor dGamma, Tensor dBeta);

    /** RMSNorm over the last dimension: out = x * rstd * gamma, rstd = 1/sqrt(mean(x^2) + eps). */
    void rmsNormForward(Tensor x, Tensor gamma, float eps, Tensor out, Tensor rstd);

    /** Backward of RMSNorm: writes dx; accumulates into dGamma when not null. */
    void rmsNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor rstd, Tensor dx, Tensor dGamma);

    /**
     * Softmax cross-entropy of logits [rows, classes] against labels [rows] (class indices
     * stored as floats). Writes rowLoss[rows] (natural-log loss per row) and
     * dLogits = (softmax - onehot) / rows, the gradient of the mean loss. dLogits may alias logits.
     */
    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor rowLoss);

    // ---------------------------------------------------------------- attention pieces

    /**
     * Causal softmax over scores [batchHeads, T, T] (row-major per head): probs[i, j] =
     * {@code softmax_j(scale * scores[i, j])} for {@code j <= i}, 0 for {@code j > i}.
     */
    void causalSoftmaxForward(Tensor scores, float scale, int batchHeads, int t, Tensor probs);

    /** Backward of {@link #causalSoftmaxForward}: dScores (may alias dProbs) from dProbs and probs. */
    void causalSoftmaxBackward(Tensor dProbs, Tensor probs, float scale, int batchHeads, int t, Tensor dScores);

    /**
     * Rotary position embedding in place on x [batch, t, heads, headDim] (pairs (2i, 2i+1) of
     * each head rotated by angle pos * theta^(-2i/headDim)). {@code inverse} rotates by the
     * negative angle, which is the backward pass.
     */
    void rope(Tensor x, int batch, int t, int heads, int headDim, float theta, boolean inverse);

    /** out[r, :] = table[tokens[r], :]; tokens hold indices as floats. */
    void embeddingForward(Tensor table, Tensor tokens, Tensor out);

    /** Accumulates dTable[tokens[r], :] += dOut[r, :]. */
    void embeddingBackward(Tensor dOut, Tensor tokens, Tensor dTable);

    // ---------------------------------------------------------------- element-wise and reductions

    /** y := alpha * x + y. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** x := alpha * x. */
    void scale(Tensor x, float alpha);

    /** out := a + b (out may alias a or b). */
    void add(Tensor a, Tensor b, Tensor out);

    /** out[j] := sum_i x[i, j] (column sums of a rows x cols view); accumulates when {@code accumulate}. */
    void columnSum(Tensor x, Tensor out, boolean accumulate);

    /** Sum of squares, accumulated in float64. */
    double sumSquares(Tensor x);

    /** Dot product, accumulated in float64. */
    double dot(Tensor a, Tensor b);

    /** Sum of every element, accumulated in float64. */
    double sum(Tensor x);

    // ---------------------------------------------------------------- optimizers

    /**
     * SGD with momentum (PyTorch convention): g = gradScale * grad + weightDecay * param;
     * velocity = momentum * velocity + g; param -= lr * velocity.
     */
    void sgdMomentumUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum,
                           float weightDecay, float gradScale);

    /**
     * AdamW (decoupled weight decay, bias-corrected; step counts from 1): g = gradScale * grad;
     * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; param -= lr * (mhat / (sqrt(vhat) + eps) + wd * param).
     */
    void adamwUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                     float eps, float weightDecay, int step, float gradScale);

    // ---------------------------------------------------------------- continuity reductions

    /**
     * For a stack of unit vectors vecs [L, d]: {@code out[l] = |<vecs[l], vecs[l+1]>|} for {@code l < L-1}, in
     * one pass (out has L-1 elements). Accumulated in float64 where the backend can.
     */
    void adjacentAbsCos(Tensor vecs, Tensor out);

    /**
     * For a stack of flattened gradients [L, n], in one pass: {@code out[l] = ||g_l||^2} for {@code l < L} and
     * {@code out[L + l] = <g_l, g_{l+1}>} for {@code l < L-1} (out has 2L-1 elements). What gradient coherence
     * (cosine of flattened adjacent gradients) needs.
     */
    void adjacentDotsAndNorms(Tensor stack, Tensor out);

    @Override default void close() { }
}
