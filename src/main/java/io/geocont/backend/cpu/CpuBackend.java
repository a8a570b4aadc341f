package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.linalg.Lane;
import io.geocont.linalg.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static io.geocont.backend.ShapeChecks.checkGemm;
import static io.geocont.backend.ShapeChecks.requireSameShape;
import static io.geocont.backend.ShapeChecks.requireSize;
import static io.geocont.backend.ShapeChecks.shape;

/**
 * The pure-Java reference backend. Every op is deterministic: work is split over threads by
 * output index, and each output is computed in a fixed order (reductions in fixed chunks,
 * summed in chunk order), so a result does not depend on thread count or timing.
 * Activations are evaluated in double and rounded to float once ({@link ActivationMath}, which
 * also documents the radial activations' convention at a zero row: output 0, no NaN); GELU and
 * SiLU run on vectors ({@link VectorActivationMath}) and flush subnormal results to zero. GEMM is
 * {@link Gemm}; threading is {@link Parallel} (the one pool).
 */
public final class CpuBackend implements Backend {
    /**
     * Least elements per task. Waking a parked worker costs ~50-100 us on this kind of (virtual)
     * machine, and a memory-bound pass over 256K floats takes about that long, so smaller ops
     * (the toy MLP's 128 x 128 ones) run on the caller's thread: splitting them made a quick MLP
     * epoch 1.6x slower on 2 threads than on 1.
     */
    private static final int ELEMENT_GRAIN = 1 << 18;
    /** Elements per partial sum of a reduction (fixed: it decides the summation order). */
    private static final int REDUCE_CHUNK = 1 << 14;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** The most tasks one op splits into; 0 = as many as the pool has threads. */
    private final int maxChunks;

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

    // ---------------------------------------------------------------- checks

    private static float[] arr(String op, String name, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        if (!(t instanceof CpuTensor ct))
            throw new IllegalArgumentException(op + ": " + name + " " + t + " is not a CPU tensor (made by backend "
                    + t.backend().name() + ")");
        if (ct.isClosed()) throw new IllegalStateException(op + ": " + name + " " + t + " was closed");
        return ct.data();
    }

    private static float[] arrOrNull(String op, String name, Tensor t) { return t == null ? null : arr(op, name, t); }

    private static int index(String op, String what, float v, int limit, int row) {
        int i = (int) v;
        if (i != v || i < 0 || i >= limit)
            throw new IllegalArgumentException(op + ": " + what + " " + v + " at row " + row + " is not an integer in [0, " + limit + ")");
        return i;
    }

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
        requireSize("copy", "dst", dst, src.size(), "same size as src", src);
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

    // ---------------------------------------------------------------- fused layers

    @Override public void biasActForward(Tensor z, Tensor bias, Activation act, float actParam, Tensor residual, Tensor out) {
        String op = "biasActForward(" + act + ")";
        float[] zv = arr(op, "z", z), ov = arr(op, "out", out);
        float[] bv = arrOrNull(op, "bias", bias), rv = arrOrNull(op, "residual", residual);
        int rows = z.rows(), cols = z.cols();
        if (bias != null) requireSize(op, "bias", bias, cols, "z's columns, z", z);
        if (residual != null) requireSameShape(op, "z", z, "residual", residual);
        requireSameShape(op, "z", z, "out", out);
        if (zv == ov) throw new IllegalArgumentException(op + ": out must not alias z (z keeps the pre-activation)");
        if (act == Activation.RELU || act == Activation.IDENTITY) {
            forRange(rows, rowGrain(cols), (r0, r1) -> {
                for (int r = r0; r < r1; r++) BiasRelu.apply(act == Activation.RELU, zv, bv, 0, rv, ov, r * cols, cols);
            });
            return;
        }
        // GELU and SiLU each in a lambda of its own: one compiled unit per vector kernel (see VectorActivationMath)
        if (act == Activation.GELU) {
            forRange(rows, rowGrain(cols), (r0, r1) -> {
                for (int r = r0; r < r1; r++) VectorActivationMath.biasGeluRow(zv, bv, rv, ov, r * cols, cols);
            });
            return;
        }
        if (act == Activation.SILU) {
            forRange(rows, rowGrain(cols), (r0, r1) -> {
                for (int r = r0; r < r1; r++) VectorActivationMath.biasSiluRow(zv, bv, rv, ov, r * cols, cols);
            });
            return;
        }
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            float[] row = rv == null || act.rowWise() ? null : new float[cols];
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (bv != null) for (int j = 0; j < cols; j++) zv[base + j] += bv[j];
                if (act.rowWise()) {
                    double g = ActivationMath.radialGain(act, norm(zv, base, cols), actParam);
                    for (int j = 0; j < cols; j++) ov[base + j] = (float) (g * zv[base + j]) + (rv == null ? 0f : rv[base + j]);
                } else if (rv == null) {
                    elementwiseForward(act, zv, base, cols, ov);
                } else { // via a row buffer: out may alias residual
                    elementwiseForward(act, zv, base, cols, row, 0);
                    for (int j = 0; j < cols; j++) ov[base + j] = row[j] + rv[base + j];
                }
            }
        });
    }

    @Override public void biasActBackward(Tensor dOut, Tensor pre, Activation act, float actParam, Tensor dPre, Tensor dBias) {
        String op = "biasActBackward(" + act + ")";
        float[] dov = arr(op, "dOut", dOut), pv = arr(op, "pre", pre), dpv = arr(op, "dPre", dPre);
        int rows = pre.rows(), cols = pre.cols();
        requireSameShape(op, "pre", pre, "dOut", dOut);
        requireSameShape(op, "pre", pre, "dPre", dPre);
        if (dBias != null) requireSize(op, "dBias", dBias, cols, "pre's columns, pre", pre);
        // GELU and SiLU each in a lambda of its own (as in biasActForward), over the rows' contiguous range
        if (act == Activation.GELU) forRange(rows, rowGrain(cols), (r0, r1) -> VectorActivationMath.geluBackward(pv, dov, dpv, r0 * cols, (r1 - r0) * cols));
        else if (act == Activation.SILU) forRange(rows, rowGrain(cols), (r0, r1) -> VectorActivationMath.siluBackward(pv, dov, dpv, r0 * cols, (r1 - r0) * cols));
        else forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (act.rowWise()) radialJvp(act, actParam, pv, base, dov, base, null, dpv, base, cols);
                else elementwiseBackward(act, pv, dov, dpv, base, cols);
            }
        });
        if (dBias != null) columnSums(op, dpv, rows, cols, arr(op, "dBias", dBias), false);
    }

    /**
     * out[off..off+n) = act(x[off..off+n)) for an element-wise activation. One loop per
     * activation (the switch is outside the loop so C2 can vectorize ReLU and identity); values
     * go through {@link ActivationMath} in double, rounded once. (GELU and SiLU do not come here:
     * biasActForward runs them in one vector pass, {@link VectorActivationMath#biasGeluRow}.)
     */
    private static void elementwiseForward(Activation act, float[] x, int off, int n, float[] out) {
        elementwiseForward(act, x, off, n, out, off);
    }

    /** out[o..o+n) = act(x[off..off+n)). */
    private static void elementwiseForward(Activation act, float[] x, int off, int n, float[] out, int o) {
        int d = o - off;
        int end = off + n;
        switch (act) {
            case IDENTITY -> System.arraycopy(x, off, out, o, n);
            case RELU -> { // vectorized and branch-free (random signs would defeat branch prediction); NaN propagates
                int j = off;
                for (int bound = off + F.loopBound(n); j < bound; j += F.length())
                    FloatVector.fromArray(F, x, j).max(0f).intoArray(out, j + d);
                for (; j < end; j++) out[j + d] = Math.max(x[j], 0f);
            }
            case TANH -> { for (int j = off; j < end; j++) out[j + d] = (float) Math.tanh(x[j]); }
            default -> throw new IllegalArgumentException(act + " is row-wise, not element-wise");
        }
    }

    /** dPre = dOut * act'(pre) element-wise over [off, off+n); dPre may alias dOut. */
    private static void elementwiseBackward(Activation act, float[] pre, float[] dOut, float[] dPre, int off, int n) {
        int end = off + n;
        switch (act) {
            case IDENTITY -> System.arraycopy(dOut, off, dPre, off, n);
            case RELU -> { // relu'(x) = 1 for x > 0, else 0 (also at 0, PyTorch's convention)
                int j = off;
                FloatVector zero = FloatVector.zero(F);
                for (int bound = off + F.loopBound(n); j < bound; j += F.length()) {
                    FloatVector p = FloatVector.fromArray(F, pre, j);
                    zero.blend(FloatVector.fromArray(F, dOut, j), p.compare(VectorOperators.GT, 0f)).intoArray(dPre, j);
                }
                for (; j < end; j++) dPre[j] = pre[j] > 0f ? dOut[j] : 0f;
            }
            default -> { for (int j = off; j < end; j++) dPre[j] = (float) (dOut[j] * ActivationMath.derivative(act, pre[j])); }
        }
    }

    /**
     * dst = J(h)^T (d * scale) for a radial activation at h = src[srcOff .. +cols], where the
     * optional {@code scale} multiplies d element-wise (the gated form's up). dst may alias d.
     */
    private static void radialJvp(Activation act, float param, float[] src, int srcOff, float[] d, int dOff,
                                  float[] scale, float[] dst, int dstOff, int cols) {
        double r2 = 0, hd = 0;
        for (int j = 0; j < cols; j++) {
            double h = src[srcOff + j], dj = scale == null ? d[dOff + j] : (double) d[dOff + j] * scale[dOff + j];
            r2 += h * h;
            hd += h * dj;
        }
        double r = Math.sqrt(r2);
        double g = ActivationMath.radialGain(act, r, param);
        double coef = r == 0 ? 0.0 : ActivationMath.radialGainDerivativeTimesR(act, r, param) * hd / r2;
        for (int j = 0; j < cols; j++) {
            double dj = scale == null ? d[dOff + j] : (double) d[dOff + j] * scale[dOff + j];
            dst[dstOff + j] = (float) (g * dj + coef * src[srcOff + j]);
        }
    }

    private static double norm(float[] x, int off, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) s += (double) x[off + j] * x[off + j];
        return Math.sqrt(s);
    }

    @Override public void gatedActForward(Tensor gate, Tensor up, Activation act, float actParam, Tensor out) {
        String op = "gatedActForward(" + act + ")";
        float[] gv = arr(op, "gate", gate), uv = arr(op, "up", up), ov = arr(op, "out", out);
        requireSameShape(op, "gate", gate, "up", up);
        requireSameShape(op, "gate", gate, "out", out);
        int rows = gate.rows(), cols = gate.cols();
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (act.rowWise()) {
                    double g = ActivationMath.radialGain(act, norm(gv, base, cols), actParam);
                    for (int j = 0; j < cols; j++) ov[base + j] = (float) (g * gv[base + j] * uv[base + j]);
                } else if (act == Activation.SILU) { // SwiGLU, the transformer default
                    GatedSilu.forwardRow(gv, uv, ov, base, cols);
                } else {
                    for (int j = 0; j < cols; j++)
                        ov[base + j] = (float) (ActivationMath.value(act, gv[base + j]) * uv[base + j]);
                }
            }
        });
    }

    @Override public void gatedActBackward(Tensor dOut, Tensor gate, Tensor up, Activation act, float actParam,
                                           Tensor dGate, Tensor dUp) {
        String op = "gatedActBackward(" + act + ")";
        float[] dov = arr(op, "dOut", dOut), gv = arr(op, "gate", gate), uv = arr(op, "up", up);
        float[] dgv = arr(op, "dGate", dGate), duv = arr(op, "dUp", dUp);
        for (Tensor t : new Tensor[]{up, dOut, dGate, dUp}) requireSameShape(op, "gate", gate, "a gradient or up", t);
        int rows = gate.rows(), cols = gate.cols();
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (act.rowWise()) {
                    double g = ActivationMath.radialGain(act, norm(gv, base, cols), actParam);
                    // dUp first: it needs dOut, which dGate may overwrite.
                    float[] dupRow = new float[cols];
                    for (int j = 0; j < cols; j++) dupRow[j] = (float) (g * gv[base + j] * dov[base + j]);
                    radialJvp(act, actParam, gv, base, dov, base, uv, dgv, base, cols);
                    System.arraycopy(dupRow, 0, duv, base, cols);
                } else if (act == Activation.SILU) {
                    GatedSilu.backwardRow(dov, gv, uv, dgv, duv, base, cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        double x = gv[base + j], d = dov[base + j];
                        dgv[base + j] = (float) (d * uv[base + j] * ActivationMath.derivative(act, x));
                        duv[base + j] = (float) (d * ActivationMath.value(act, x));
                    }
                }
            }
        });
    }

    @Override public void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        String op = "layerNormForward";
        float[] xv = arr(op, "x", x), ov = arr(op, "out", out), mv = arr(op, "mean", mean), sv = arr(op, "rstd", rstd);
        float[] gv = arrOrNull(op, "gamma", gamma), bv = arrOrNull(op, "beta", beta);
        int rows = x.rows(), cols = x.cols();
        requireSameShape(op, "x", x, "out", out);
        if (gamma != null) requireSize(op, "gamma", gamma, cols, "x's columns, x", x);
        if (beta != null) requireSize(op, "beta", beta, cols, "x's columns, x", x);
        requireSize(op, "mean", mean, rows, "x's rows, x", x);
        requireSize(op, "rstd", rstd, rows, "x's rows, x", x);
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                double s = 0;
                for (int j = 0; j < cols; j++) s += xv[base + j];
                double mu = s / cols, v = 0;
                for (int j = 0; j < cols; j++) {
                    double dx = xv[base + j] - mu;
                    v += dx * dx;
                }
                float muF = (float) mu, rs = (float) (1.0 / Math.sqrt(v / cols + eps));
                mv[r] = muF;
                sv[r] = rs;
                for (int j = 0; j < cols; j++) {
                    float xh = (xv[base + j] - muF) * rs;
                    ov[base + j] = xh * (gv == null ? 1f : gv[j]) + (bv == null ? 0f : bv[j]);
                }
            }
        });
    }

    @Override public void layerNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                                            Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "layerNormBackward";
        float[] dov = arr(op, "dOut", dOut), xv = arr(op, "x", x), mv = arr(op, "mean", mean), sv = arr(op, "rstd", rstd);
        float[] dxv = arr(op, "dx", dx), gv = arrOrNull(op, "gamma", gamma);
        float[] dgv = arrOrNull(op, "dGamma", dGamma), dbv = arrOrNull(op, "dBeta", dBeta);
        int rows = x.rows(), cols = x.cols();
        requireSameShape(op, "x", x, "dOut", dOut);
        requireSameShape(op, "x", x, "dx", dx);
        if (gamma != null) requireSize(op, "gamma", gamma, cols, "x's columns");
        if (dGamma != null) requireSize(op, "dGamma", dGamma, cols, "x's columns");
        if (dBeta != null) requireSize(op, "dBeta", dBeta, cols, "x's columns");
        requireSize(op, "mean", mean, rows, "x's rows");
        requireSize(op, "rstd", rstd, rows, "x's rows");
        // Parameter gradients first (they read dOut, which dx may overwrite): by column, rows in order.
        if (dgv != null || dbv != null) {
            forRange(cols, columnGrain(rows), (c0, c1) -> {
                int w = c1 - c0;
                double[] ag = new double[w], ab = new double[w];
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    float mu = mv[r], rs = sv[r];
                    for (int j = c0; j < c1; j++) {
                        float d = dov[base + j];
                        ag[j - c0] += (double) d * ((xv[base + j] - mu) * rs);
                        ab[j - c0] += d;
                    }
                }
                for (int j = c0; j < c1; j++) {
                    if (dgv != null) dgv[j] += (float) ag[j - c0];
                    if (dbv != null) dbv[j] += (float) ab[j - c0];
                }
            });
        }
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                float mu = mv[r], rs = sv[r];
                double sd = 0, sdx = 0;
                for (int j = 0; j < cols; j++) {
                    double dxh = (double) dov[base + j] * (gv == null ? 1f : gv[j]);
                    sd += dxh;
                    sdx += dxh * ((xv[base + j] - mu) * rs);
                }
                double a = sd / cols, b = sdx / cols;
                for (int j = 0; j < cols; j++) {
                    double dxh = (double) dov[base + j] * (gv == null ? 1f : gv[j]);
                    double xh = (xv[base + j] - mu) * rs;
                    dxv[base + j] = (float) (rs * (dxh - a - xh * b));
                }
            }
        });
    }

    @Override public void rmsNormForward(Tensor x, Tensor gamma, float eps, Tensor out, Tensor rstd) {
        String op = "rmsNormForward";
        float[] xv = arr(op, "x", x), ov = arr(op, "out", out), sv = arr(op, "rstd", rstd), gv = arrOrNull(op, "gamma", gamma);
        int rows = x.rows(), cols = x.cols();
        requireSameShape(op, "x", x, "out", out);
        if (gamma != null) requireSize(op, "gamma", gamma, cols, "x's columns, x", x);
        requireSize(op, "rstd", rstd, rows, "x's rows, x", x);
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                double s = 0;
                for (int j = 0; j < cols; j++) s += (double) xv[base + j] * xv[base + j];
                float rs = (float) (1.0 / Math.sqrt(s / cols + eps));
                sv[r] = rs;
                for (int j = 0; j < cols; j++) ov[base + j] = xv[base + j] * rs * (gv == null ? 1f : gv[j]);
            }
        });
    }

    @Override public void rmsNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor rstd, Tensor dx, Tensor dGamma) {
        String op = "rmsNormBackward";
        float[] dov = arr(op, "dOut", dOut), xv = arr(op, "x", x), sv = arr(op, "rstd", rstd), dxv = arr(op, "dx", dx);
        float[] gv = arrOrNull(op, "gamma", gamma), dgv = arrOrNull(op, "dGamma", dGamma);
        int rows = x.rows(), cols = x.cols();
        requireSameShape(op, "x", x, "dOut", dOut);
        requireSameShape(op, "x", x, "dx", dx);
        if (gamma != null) requireSize(op, "gamma", gamma, cols, "x's columns");
        if (dGamma != null) requireSize(op, "dGamma", dGamma, cols, "x's columns");
        requireSize(op, "rstd", rstd, rows, "x's rows");
        if (dgv != null) {
            forRange(cols, columnGrain(rows), (c0, c1) -> {
                double[] ag = new double[c1 - c0];
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    float rs = sv[r];
                    for (int j = c0; j < c1; j++) ag[j - c0] += (double) dov[base + j] * (xv[base + j] * rs);
                }
                for (int j = c0; j < c1; j++) dgv[j] += (float) ag[j - c0];
            });
        }
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                float rs = sv[r];
                double sdx = 0;
                for (int j = 0; j < cols; j++)
                    sdx += (double) dov[base + j] * (gv == null ? 1f : gv[j]) * (xv[base + j] * rs);
                double b = sdx / cols;
                for (int j = 0; j < cols; j++) {
                    double dxh = (double) dov[base + j] * (gv == null ? 1f : gv[j]);
                    dxv[base + j] = (float) (rs * (dxh - (xv[base + j] * rs) * b));
                }
            }
        });
    }

    @Override public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor rowLoss) {
        String op = "softmaxCrossEntropy";
        float[] lv = arr(op, "logits", logits), yv = arr(op, "labels", labels), dv = arr(op, "dLogits", dLogits);
        float[] losv = arr(op, "rowLoss", rowLoss);
        int rows = logits.rows(), classes = logits.cols();
        requireSize(op, "labels", labels, rows, "one per row of logits", logits);
        requireSize(op, "rowLoss", rowLoss, rows, "one per row of logits", logits);
        requireSameShape(op, "logits", logits, "dLogits", dLogits);
        for (int r = 0; r < rows; r++) index(op, "label", yv[r], classes, r);
        float invRows = 1f / rows;
        forRange(rows, rowGrain(classes), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * classes, y = (int) yv[r];
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < classes; j++) max = Math.max(max, lv[base + j]);
                double s = 0;
                for (int j = 0; j < classes; j++) s += Math.exp(lv[base + j] - max);
                double lse = max + Math.log(s);
                losv[r] = (float) (lse - lv[base + y]);
                for (int j = 0; j < classes; j++) {
                    double p = Math.exp(lv[base + j] - lse);
                    dv[base + j] = (float) ((j == y ? p - 1.0 : p) * invRows);
                }
            }
        });
    }

    // ---------------------------------------------------------------- attention pieces

    @Override public void causalSoftmaxForward(Tensor scores, float scale, int batchHeads, int t, Tensor probs) {
        String op = "causalSoftmaxForward(batchHeads=" + batchHeads + ", t=" + t + ")";
        float[] sv = arr(op, "scores", scores), pv = arr(op, "probs", probs);
        long need = (long) batchHeads * t * t;
        requireSize(op, "scores", scores, need, "batchHeads * t * t");
        requireSize(op, "probs", probs, need, "batchHeads * t * t");
        forRange(batchHeads * t, rowGrain(t), (q0, q1) -> {
            double[] e = new double[t];   // each exp once (they were computed twice: half this op's time)
            for (int q = q0; q < q1; q++) {
                int i = q % t, base = q * t;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) max = Math.max(max, scale * sv[base + j]);
                double s = 0;
                for (int j = 0; j <= i; j++) s += e[j] = Math.exp(scale * sv[base + j] - max);
                double inv = 1.0 / s;
                for (int j = 0; j <= i; j++) pv[base + j] = (float) (e[j] * inv);
                for (int j = i + 1; j < t; j++) pv[base + j] = 0f;
            }
        });
    }

    @Override public void causalSoftmaxBackward(Tensor dProbs, Tensor probs, float scale, int batchHeads, int t, Tensor dScores) {
        String op = "causalSoftmaxBackward(batchHeads=" + batchHeads + ", t=" + t + ")";
        float[] dpv = arr(op, "dProbs", dProbs), pv = arr(op, "probs", probs), dsv = arr(op, "dScores", dScores);
        long need = (long) batchHeads * t * t;
        requireSize(op, "dProbs", dProbs, need, "batchHeads * t * t");
        requireSize(op, "probs", probs, need, "batchHeads * t * t");
        requireSize(op, "dScores", dScores, need, "batchHeads * t * t");
        forRange(batchHeads * t, rowGrain(t), (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int i = q % t, base = q * t;
                double dotv = 0;
                for (int j = 0; j <= i; j++) dotv += (double) pv[base + j] * dpv[base + j];
                for (int j = 0; j <= i; j++) dsv[base + j] = (float) (scale * pv[base + j] * (dpv[base + j] - dotv));
                for (int j = i + 1; j < t; j++) dsv[base + j] = 0f;
            }
        });
    }

    @Override public void rope(Tensor x, int batch, int t, int heads, int headDim, float theta, boolean inverse) {
        String op = "rope(batch=" + batch + ", t=" + t + ", heads=" + heads + ", headDim=" + headDim + ")";
        float[] xv = arr(op, "x", x);
        if (headDim % 2 != 0) throw new IllegalArgumentException(op + ": headDim must be even");
        requireSize(op, "x", x, (long) batch * t * heads * headDim, "batch * t * heads * headDim");
        int half = headDim / 2;
        float[] cos = new float[t * half], sin = new float[t * half];
        for (int pos = 0; pos < t; pos++)
            for (int i = 0; i < half; i++) {
                double ang = pos * Math.pow(theta, -2.0 * i / headDim);
                cos[pos * half + i] = (float) Math.cos(ang);
                sin[pos * half + i] = (float) (inverse ? -Math.sin(ang) : Math.sin(ang));
            }
        forRange(batch * t, rowGrain(heads * headDim), (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int pos = q % t;
                for (int h = 0; h < heads; h++) {
                    int base = (q * heads + h) * headDim;
                    for (int i = 0; i < half; i++) {
                        float c = cos[pos * half + i], s = sin[pos * half + i];
                        float x0 = xv[base + 2 * i], x1 = xv[base + 2 * i + 1];
                        xv[base + 2 * i] = x0 * c - x1 * s;
                        xv[base + 2 * i + 1] = x0 * s + x1 * c;
                    }
                }
            }
        });
    }

    @Override public void embeddingForward(Tensor table, Tensor tokens, Tensor out) {
        String op = "embeddingForward";
        float[] tv = arr(op, "table", table), kv = arr(op, "tokens", tokens), ov = arr(op, "out", out);
        int vocab = table.rows(), d = table.cols(), rows = (int) tokens.size();
        requireSize(op, "out", out, (long) rows * d, "tokens * table columns, table", table);
        for (int r = 0; r < rows; r++) index(op, "token", kv[r], vocab, r);
        forRange(rows, rowGrain(d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) System.arraycopy(tv, (int) kv[r] * d, ov, r * d, d);
        });
    }

    @Override public void embeddingBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        String op = "embeddingBackward";
        float[] dov = arr(op, "dOut", dOut), kv = arr(op, "tokens", tokens), dtv = arr(op, "dTable", dTable);
        int vocab = dTable.rows(), d = dTable.cols(), rows = (int) tokens.size();
        requireSize(op, "dOut", dOut, (long) rows * d, "tokens * dTable columns, dTable", dTable);
        for (int r = 0; r < rows; r++) index(op, "token", kv[r], vocab, r);
        // Split by column so repeated tokens are accumulated in row order by one thread.
        forRange(d, columnGrain(rows), (c0, c1) -> {
            for (int r = 0; r < rows; r++) {
                int src = r * d, dst = (int) kv[r] * d;
                for (int j = c0; j < c1; j++) dtv[dst + j] += dov[src + j];
            }
        });
    }

    // ---------------------------------------------------------------- element-wise and reductions

    @Override public void axpy(float alpha, Tensor x, Tensor y) {
        float[] xv = arr("axpy", "x", x), yv = arr("axpy", "y", y);
        requireSize("axpy", "y", y, x.size(), "same size as x", x);
        forRange(xv.length, ELEMENT_GRAIN, (i0, i1) -> {
            int i = i0;
            FloatVector al = FloatVector.broadcast(F, alpha);
            for (int bound = i0 + F.loopBound(i1 - i0); i < bound; i += F.length())   // same rounding as Math.fma
                al.fma(FloatVector.fromArray(F, xv, i), FloatVector.fromArray(F, yv, i)).intoArray(yv, i);
            for (; i < i1; i++) yv[i] = Math.fma(alpha, xv[i], yv[i]);
        });
    }

    @Override public void scale(Tensor x, float alpha) {
        float[] xv = arr("scale", "x", x);
        forRange(xv.length, ELEMENT_GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) xv[i] *= alpha;
        });
    }

    @Override public void add(Tensor a, Tensor b, Tensor out) {
        float[] av = arr("add", "a", a), bv = arr("add", "b", b), ov = arr("add", "out", out);
        requireSize("add", "b", b, a.size(), "same size as a", a);
        requireSize("add", "out", out, a.size(), "same size as a", a);
        forRange(av.length, ELEMENT_GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) ov[i] = av[i] + bv[i];
        });
    }

    @Override public void columnSum(Tensor x, Tensor out, boolean accumulate) {
        float[] xv = arr("columnSum", "x", x), ov = arr("columnSum", "out", out);
        requireSize("columnSum", "out", out, x.cols(), "x's columns, x", x);
        if (!accumulate) Arrays.fill(ov, 0f);
        columnSums("columnSum", xv, x.rows(), x.cols(), ov, true);
    }

    /** out[j] (+)= sum over rows in order, accumulated in double; split by column. */
    private void columnSums(String op, float[] x, int rows, int cols, float[] out, boolean accumulate) {
        forRange(cols, columnGrain(rows), (c0, c1) -> {
            double[] acc = new double[c1 - c0];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int j = c0; j < c1; j++) acc[j - c0] += x[base + j];
            }
            for (int j = c0; j < c1; j++) out[j] = (float) (accumulate ? out[j] + acc[j - c0] : acc[j - c0]);
        });
    }

    /** Reduction of f over [0, n) in fixed chunks summed in chunk order (deterministic). */
    private double reduce(int n, ChunkSum f) {
        int chunks = (n + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
        double[] partial = new double[chunks];
        forRange(chunks, ELEMENT_GRAIN / REDUCE_CHUNK, (c0, c1) -> {
            for (int c = c0; c < c1; c++) partial[c] = f.sum(c * REDUCE_CHUNK, Math.min(n, (c + 1) * REDUCE_CHUNK));
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    @FunctionalInterface private interface ChunkSum { double sum(int from, int to); }

    @Override public double sumSquares(Tensor x) {
        float[] xv = arr("sumSquares", "x", x);
        return reduce(xv.length, (i0, i1) -> DoubleSums.dot(xv, i0, xv, i0, i1 - i0));
    }

    @Override public double dot(Tensor a, Tensor b) {
        float[] av = arr("dot", "a", a), bv = arr("dot", "b", b);
        requireSize("dot", "b", b, a.size(), "same size as a", a);
        return reduce(av.length, (i0, i1) -> DoubleSums.dot(av, i0, bv, i0, i1 - i0));
    }

    @Override public double sum(Tensor x) {
        float[] xv = arr("sum", "x", x);
        return reduce(xv.length, (i0, i1) -> DoubleSums.sum(xv, i0, i1));
    }

    // ---------------------------------------------------------------- optimizers

    @Override public void sgdMomentumUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum,
                                            float weightDecay, float gradScale) {
        String op = "sgdMomentumUpdate";
        float[] pv = arr(op, "param", param), gv = arr(op, "grad", grad), vv = arr(op, "velocity", velocity);
        requireSize(op, "grad", grad, param.size(), "same size as param", param);
        requireSize(op, "velocity", velocity, param.size(), "same size as param", param);
        forRange(pv.length, ELEMENT_GRAIN, (i0, i1) -> {
            int i = i0;
            // the scalar loop below, 16 lanes at a time (separate multiply and add: the same rounding)
            FloatVector gs = FloatVector.broadcast(F, gradScale), wd = FloatVector.broadcast(F, weightDecay);
            FloatVector mo = FloatVector.broadcast(F, momentum), lrv = FloatVector.broadcast(F, lr);
            for (int bound = i0 + F.loopBound(i1 - i0); i < bound; i += F.length()) {
                FloatVector p = FloatVector.fromArray(F, pv, i);
                FloatVector g = gs.mul(FloatVector.fromArray(F, gv, i)).add(wd.mul(p));
                FloatVector v = mo.mul(FloatVector.fromArray(F, vv, i)).add(g);
                v.intoArray(vv, i);
                p.sub(lrv.mul(v)).intoArray(pv, i);
            }
            for (; i < i1; i++) {
                float g = gradScale * gv[i] + weightDecay * pv[i];
                float v = momentum * vv[i] + g;
                vv[i] = v;
                pv[i] -= lr * v;
            }
        });
    }

    @Override public void adamwUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                                      float eps, float weightDecay, int step, float gradScale) {
        String op = "adamwUpdate";
        float[] pv = arr(op, "param", param), gv = arr(op, "grad", grad), mv = arr(op, "m", m), vv = arr(op, "v", v);
        requireSize(op, "grad", grad, param.size(), "same size as param", param);
        requireSize(op, "m", m, param.size(), "same size as param", param);
        requireSize(op, "v", v, param.size(), "same size as param", param);
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        float bc1 = (float) (1.0 - Math.pow(beta1, step)), bc2 = (float) (1.0 - Math.pow(beta2, step));
        forRange(pv.length, ELEMENT_GRAIN, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float g = gradScale * gv[i];
                float mi = beta1 * mv[i] + (1f - beta1) * g;
                float vi = beta2 * vv[i] + (1f - beta2) * g * g;
                mv[i] = mi;
                vv[i] = vi;
                float mhat = mi / bc1, vhat = vi / bc2;
                pv[i] -= lr * (mhat / ((float) Math.sqrt(vhat) + eps) + weightDecay * pv[i]);
            }
        });
    }

    // ---------------------------------------------------------------- continuity reductions

    @Override public void adjacentAbsCos(Tensor vecs, Tensor out) {
        String op = "adjacentAbsCos";
        float[] x = arr(op, "vecs", vecs), ov = arr(op, "out", out);
        int l = vecs.rows(), d = vecs.cols();
        requireSize(op, "out", out, Math.max(0, l - 1), "L - 1 for vecs", vecs);
        for (int i = 0; i + 1 < l; i++) ov[i] = (float) Math.abs(dotRange(x, i * d, x, (i + 1) * d, d));
    }

    @Override public void adjacentDotsAndNorms(Tensor stack, Tensor out) {
        String op = "adjacentDotsAndNorms";
        float[] x = arr(op, "stack", stack), ov = arr(op, "out", out);
        int l = stack.rows(), n = stack.cols();
        requireSize(op, "out", out, Math.max(0, 2L * l - 1), "2L - 1 for stack", stack);
        double[] res = new double[Math.max(0, 2 * l - 1)];
        forRange(res.length, Math.max(1, ELEMENT_GRAIN / Math.max(1, n)), (q0, q1) -> {
            for (int q = q0; q < q1; q++)
                res[q] = q < l ? dotRange(x, q * n, x, q * n, n) : dotRange(x, (q - l) * n, x, (q - l + 1) * n, n);
        });
        for (int q = 0; q < res.length; q++) ov[q] = (float) res[q];
    }

    private static double dotRange(float[] a, int offA, float[] b, int offB, int n) {
        return DoubleSums.dot(a, offA, b, offB, n);
    }

    /** Rows per task so that a task has at least ELEMENT_GRAIN elements of work. */
    private static int rowGrain(int cols) { return Math.max(1, ELEMENT_GRAIN / Math.max(1, cols)); }

    /** Columns per task of a column-split op over {@code rows} rows (at least 16, for whole cache lines). */
    private static int columnGrain(int rows) { return Math.max(16, ELEMENT_GRAIN / Math.max(1, rows)); }
}
