package io.geocont.backend.cuda;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdProvider;
import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.BackendUnavailableException;
import io.geocont.backend.OpContracts;
import io.geocont.backend.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.geocont.backend.ShapeChecks.checkGemm;
import static io.geocont.backend.ShapeChecks.shape;

/**
 * The CUDA backend: cuBLAS for GEMMs, our kernels (kernels/*.cu, mirrored op by op from the
 * CPU reference) for everything else, all on one stream in call order. A small device
 * workspace (reduction partials, the index-error word, cuBLAS's workspace) is made once; ops
 * allocate no device memory. Host syncs happen only where a method returns a host value.
 * Not thread-safe: use a backend from one thread at a time.
 *
 * <p>Labels and tokens are checked on the device: a bad index sets an error word that the
 * next synchronizing call (toArray, sum, synchronize, ...) turns into an exception naming the
 * op and the row.
 */
public final class CudaBackend implements Backend, SvdProvider {
    private static final int PARTIALS = 1024;
    private static final long CUBLAS_WORKSPACE = 32L << 20;

    private final int device;
    private final String description;
    private final long stream;
    private final long workspace;      // [err word 16 B][partials PARTIALS doubles][result 8 doubles]
    private final long cublasWorkspace;
    private long acc;                  // doubles for adjacentDotsAndNorms, grown when needed
    private long accDoubles;
    private final CudaKernels k;
    private final CublasHandle blas;
    private final Arena hostArena = Arena.ofShared();
    private final MemorySegment hostScratch = hostArena.allocate(64, 8);
    private final Set<CudaTensor> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private Thread lastThread;
    private boolean closed;

    /** Opens device {@code geocont.cuda.device} (default 0); throws BackendUnavailableException with the reason. */
    public CudaBackend() {
        String why = CudaProbe.unavailableReason();
        if (why != null) throw new BackendUnavailableException("cuda: " + why);
        device = Integer.getInteger("geocont.cuda.device", 0);
        CudaRuntime.setDevice(device); // nothing allocated yet: a failure here leaks nothing
        lastThread = Thread.currentThread();
        long s = 0, ws = 0, cws = 0;
        CudaKernels kk = null;
        CublasHandle bh = null;
        try {
            s = CudaRuntime.streamCreate();
            ws = CudaRuntime.malloc(16 + 8L * PARTIALS + 64);
            CudaRuntime.memsetAsync(ws, 0, 16, s);
            cws = CudaRuntime.malloc(CUBLAS_WORKSPACE);
            kk = new CudaKernels(s);
            bh = new CublasHandle(s, cws, CUBLAS_WORKSPACE, Boolean.getBoolean("geocont.cuda.tf32"));
            CudaRuntime.streamSynchronize(s, "backend set-up");
        } catch (RuntimeException e) {
            if (bh != null) bh.close();
            if (kk != null) kk.close();
            CudaRuntime.free(cws);
            CudaRuntime.free(ws);
            CudaRuntime.streamDestroy(s);
            hostArena.close();
            throw e instanceof BackendUnavailableException ? e : new BackendUnavailableException("cuda: set-up failed: " + e.getMessage(), e);
        }
        stream = s;
        workspace = ws;
        cublasWorkspace = cws;
        k = kk;
        blas = bh;
        String desc;
        try {
            int[] cc = CudaDriver.computeCapability(device);
            desc = "CUDA device " + device + ": " + CudaDriver.deviceName(device) + " (sm_" + cc[0] + cc[1] + ", "
                    + (CudaDriver.totalMemory(device) >> 20) + " MiB), runtime " + version(CudaRuntime.runtimeVersion())
                    + ", driver supports " + version(CudaRuntime.driverVersion()) + ", cuBLAS " + blas.version()
                    + (Boolean.getBoolean("geocont.cuda.tf32") ? ", TF32 on" : "");
        } catch (RuntimeException e) {
            description = "failed";
            close(); // releases what was made above
            throw e;
        }
        description = desc;
    }

    static String version(int v) { return (v / 1000) + "." + (v % 1000) / 10; }

    @Override public String name() { return "cuda"; }

    @Override public String description() { return description; }

    // ---------------------------------------------------------------- memory

    private void enter() {
        if (closed) throw new IllegalStateException("cuda backend is closed");
        Thread t = Thread.currentThread();
        if (t != lastThread) { // the runtime binds the primary context per thread; the driver API needs it current
            CudaRuntime.setDevice(device);
            lastThread = t;
        }
    }

    private CudaTensor t(String op, String name, Tensor x) {
        if (x == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        if (!(x instanceof CudaTensor ct) || ct.backend() != this)
            throw new IllegalArgumentException(op + ": " + name + " " + x + " is not a tensor of this CUDA backend (made by "
                    + x.backend().name() + ")");
        return ct;
    }

    private long p(String op, String name, Tensor x) { return t(op, name, x).ptr(); }

    private long pOrNull(String op, String name, Tensor x) { return x == null ? 0 : p(op, name, x); }

    @Override public Tensor zeros(int... shape) {
        enter();
        long n = 1;
        for (int d : shape) n *= Math.max(0, d);
        long ptr = CudaRuntime.malloc(4 * n);
        CudaTensor out;
        try {
            out = new CudaTensor(this, ptr, shape);
            CudaRuntime.memsetAsync(ptr, 0, 4 * n, stream);
        } catch (RuntimeException e) {
            CudaRuntime.free(ptr);
            throw e;
        }
        open.add(out);
        return out;
    }

    @Override public Tensor fromArray(float[] data, int... shape) {
        if (data == null) throw new IllegalArgumentException("fromArray: data must not be null");
        Tensor out = zeros(shape);
        try {
            out.copyFrom(data);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    void release(CudaTensor x, long ptr) {
        if (!open.remove(x) || closed) return;
        enter();
        // cudaFree synchronizes the device, so queued work that reads x finishes first
        CudaRuntime.free(ptr);
    }

    void upload(long dst, MemorySegment src, long bytes) {
        enter();
        CudaRuntime.copyToDevice(dst, src, bytes, stream);
    }

    void download(MemorySegment dst, long src, long bytes) {
        enter();
        CudaRuntime.copyToHost(dst, src, bytes, stream);
        checkIndexErrors();
    }

    @Override public void copy(Tensor src, Tensor dst) {
        enter();
        OpContracts.copy("copy", src, dst);
        CudaRuntime.copyDeviceAsync(p("copy", "dst", dst), p("copy", "src", src), 4 * src.size(), stream);
    }

    @Override public void fill(Tensor x, float value) {
        enter();
        long ptr = p("fill", "t", x);
        k.call("fill").ptr(ptr).f32(value).i64(x.size()).go(CudaKernels.gridFor(x.size()), 1);
    }

    @Override public void synchronize() {
        enter();
        CudaRuntime.streamSynchronize(stream, "queued ops");
        checkIndexErrors();
    }

    /** Reads (and clears) the error word that index-checking kernels set. */
    private void checkIndexErrors() {
        CudaRuntime.copyToHost(hostScratch, workspace, 8, stream);
        int code = hostScratch.get(ValueLayout.JAVA_INT, 0), row = hostScratch.get(ValueLayout.JAVA_INT, 4);
        if (code == 0) return;
        CudaRuntime.memsetAsync(workspace, 0, 16, stream);
        String what = switch (code) {
            case 1 -> "softmaxCrossEntropy: label";
            case 2 -> "embeddingForward: token";
            case 3 -> "embeddingBackward: token";
            default -> "kernel index check " + code + ":";
        };
        throw new IllegalArgumentException(what + " at row " + row + " is not an integer in range (found on the device;"
                + " that op's output rows for it were left unwritten)");
    }

    // ---------------------------------------------------------------- GEMM

    @Override public void gemm(boolean transA, boolean transB, int m, int n, int kk, float alpha,
                               Tensor a, long offA, int lda, Tensor b, long offB, int ldb,
                               float beta, Tensor c, long offC, int ldc) {
        String op = "gemm(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n + ", k=" + kk + ")";
        enter();
        CudaTensor ta = t(op, "A", a), tb = t(op, "B", b), tc = t(op, "C", c);
        checkGemm(op, transA, transB, m, n, kk, a, offA, lda, b, offB, ldb, c, offC, ldc);
        if (m == 0 || n == 0) return;
        blas.sgemmRowMajor(transA, transB, m, n, kk, alpha, ta.ptr(offA), lda, tb.ptr(offB), ldb, beta, tc.ptr(offC), ldc, 0, 0, 0, 1);
    }

    @Override public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int kk, float alpha,
                                             Tensor a, long offA, int lda, long strideA,
                                             Tensor b, long offB, int ldb, long strideB,
                                             float beta, Tensor c, long offC, int ldc, long strideC, int batch) {
        String op = "gemmStridedBatched(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n
                + ", k=" + kk + ", batch=" + batch + ")";
        enter();
        CudaTensor ta = t(op, "A", a), tb = t(op, "B", b), tc = t(op, "C", c);
        if (batch < 0) throw new IllegalArgumentException(op + ": negative batch");
        if (batch == 0 || m == 0 || n == 0) return;
        if (strideA < 0 || strideB < 0 || strideC < 0) throw new IllegalArgumentException(op + ": negative stride");
        checkGemm(op, transA, transB, m, n, kk, a, offA, lda, b, offB, ldb, c, offC, ldc);
        checkGemm(op + " last matrix", transA, transB, m, n, kk, a, offA + (batch - 1) * strideA, lda,
                b, offB + (batch - 1) * strideB, ldb, c, offC + (batch - 1) * strideC, ldc);
        blas.sgemmRowMajor(transA, transB, m, n, kk, alpha, ta.ptr(offA), lda, tb.ptr(offB), ldb, beta, tc.ptr(offC), ldc,
                strideA, strideB, strideC, batch);
    }

    // ---------------------------------------------------------------- fused layers

    @Override public void biasActForward(Tensor z, Tensor bias, Activation act, float actParam, Tensor residual, Tensor out) {
        String op = "biasActForward(" + act + ")";
        enter();
        long pz = p(op, "z", z), po = p(op, "out", out), pb = pOrNull(op, "bias", bias), pr = pOrNull(op, "residual", residual);
        int rows = z.rows(), cols = z.cols();
        OpContracts.biasActForward(op, z, bias, residual, out);
        if (pz == po) throw new IllegalArgumentException(op + ": out must not alias z (z keeps the pre-activation)");
        if (act.rowWise())
            k.call("bias_act_fwd_row").ptr(pz).ptr(pb).ptr(pr).ptr(po).i32(cols).i32(act.ordinal()).f32(actParam).go(rows, 1);
        else
            k.call("bias_act_fwd_elem").ptr(pz).ptr(pb).ptr(pr).ptr(po).i64(z.size()).i32(Math.max(1, cols)).i32(act.ordinal())
                    .go(CudaKernels.gridFor(z.size()), 1);
    }

    @Override public void biasActBackward(Tensor dOut, Tensor pre, Activation act, float actParam, Tensor dPre, Tensor dBias) {
        String op = "biasActBackward(" + act + ")";
        enter();
        long pd = p(op, "dOut", dOut), pp = p(op, "pre", pre), pdp = p(op, "dPre", dPre);
        int rows = pre.rows(), cols = pre.cols();
        OpContracts.biasActBackward(op, dOut, pre, dPre, dBias);
        if (act.rowWise())
            k.call("bias_act_bwd_row").ptr(pd).ptr(pp).ptr(pdp).i32(cols).i32(act.ordinal()).f32(actParam).go(rows, 1);
        else
            k.call("bias_act_bwd_elem").ptr(pd).ptr(pp).ptr(pdp).i64(pre.size()).i32(act.ordinal()).go(CudaKernels.gridFor(pre.size()), 1);
        if (dBias != null) columnSums(pdp, p(op, "dBias", dBias), rows, cols, false);
    }

    @Override public void gatedActForward(Tensor gate, Tensor up, Activation act, float actParam, Tensor out) {
        String op = "gatedActForward(" + act + ")";
        enter();
        long pg = p(op, "gate", gate), pu = p(op, "up", up), po = p(op, "out", out);
        OpContracts.gatedActForward(op, gate, up, out);
        if (act.rowWise())
            k.call("gated_fwd_row").ptr(pg).ptr(pu).ptr(po).i32(gate.cols()).i32(act.ordinal()).f32(actParam).go(gate.rows(), 1);
        else
            k.call("gated_fwd_elem").ptr(pg).ptr(pu).ptr(po).i64(gate.size()).i32(act.ordinal()).go(CudaKernels.gridFor(gate.size()), 1);
    }

    @Override public void gatedActBackward(Tensor dOut, Tensor gate, Tensor up, Activation act, float actParam,
                                           Tensor dGate, Tensor dUp) {
        String op = "gatedActBackward(" + act + ")";
        enter();
        long pd = p(op, "dOut", dOut), pg = p(op, "gate", gate), pu = p(op, "up", up);
        long pdg = p(op, "dGate", dGate), pdu = p(op, "dUp", dUp);
        OpContracts.gatedActBackward(op, dOut, gate, up, dGate, dUp);
        if (act.rowWise())
            k.call("gated_bwd_row").ptr(pd).ptr(pg).ptr(pu).ptr(pdg).ptr(pdu).i32(gate.cols()).i32(act.ordinal()).f32(actParam)
                    .go(gate.rows(), 1);
        else
            k.call("gated_bwd_elem").ptr(pd).ptr(pg).ptr(pu).ptr(pdg).ptr(pdu).i64(gate.size()).i32(act.ordinal())
                    .go(CudaKernels.gridFor(gate.size()), 1);
    }

    @Override public void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        String op = "layerNormForward";
        enter();
        long px = p(op, "x", x), po = p(op, "out", out), pm = p(op, "mean", mean), ps = p(op, "rstd", rstd);
        long pg = pOrNull(op, "gamma", gamma), pb = pOrNull(op, "beta", beta);
        int rows = x.rows(), cols = x.cols();
        OpContracts.layerNormForward(op, x, gamma, beta, out, mean, rstd);
        k.call("layernorm_fwd").ptr(px).ptr(pg).ptr(pb).f32(eps).ptr(po).ptr(pm).ptr(ps).i32(cols).go(rows, 1);
    }

    @Override public void layerNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                                            Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "layerNormBackward";
        enter();
        long pd = p(op, "dOut", dOut), px = p(op, "x", x), pm = p(op, "mean", mean), ps = p(op, "rstd", rstd);
        long pdx = p(op, "dx", dx), pg = pOrNull(op, "gamma", gamma);
        long pdg = pOrNull(op, "dGamma", dGamma), pdb = pOrNull(op, "dBeta", dBeta);
        int rows = x.rows(), cols = x.cols();
        OpContracts.layerNormBackward(op, dOut, x, gamma, mean, rstd, dx, dGamma, dBeta);
        // parameter gradients first: they read dOut, which dx may overwrite (stream order keeps this)
        if (pdg != 0 || pdb != 0)
            k.call("layernorm_bwd_params").ptr(pd).ptr(px).ptr(pm).ptr(ps).ptr(pdg).ptr(pdb).i32(rows).i32(cols)
                    .go(blocks(cols), 1);
        k.call("layernorm_bwd_dx").ptr(pd).ptr(px).ptr(pg).ptr(pm).ptr(ps).ptr(pdx).i32(cols).go(rows, 1);
    }

    @Override public void rmsNormForward(Tensor x, Tensor gamma, float eps, Tensor out, Tensor rstd) {
        String op = "rmsNormForward";
        enter();
        long px = p(op, "x", x), po = p(op, "out", out), ps = p(op, "rstd", rstd), pg = pOrNull(op, "gamma", gamma);
        int rows = x.rows(), cols = x.cols();
        OpContracts.rmsNormForward(op, x, gamma, out, rstd);
        k.call("rmsnorm_fwd").ptr(px).ptr(pg).f32(eps).ptr(po).ptr(ps).i32(cols).go(rows, 1);
    }

    @Override public void rmsNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor rstd, Tensor dx, Tensor dGamma) {
        String op = "rmsNormBackward";
        enter();
        long pd = p(op, "dOut", dOut), px = p(op, "x", x), ps = p(op, "rstd", rstd), pdx = p(op, "dx", dx);
        long pg = pOrNull(op, "gamma", gamma), pdg = pOrNull(op, "dGamma", dGamma);
        int rows = x.rows(), cols = x.cols();
        OpContracts.rmsNormBackward(op, dOut, x, gamma, rstd, dx, dGamma);
        if (pdg != 0) k.call("rmsnorm_bwd_dgamma").ptr(pd).ptr(px).ptr(ps).ptr(pdg).i32(rows).i32(cols).go(blocks(cols), 1);
        k.call("rmsnorm_bwd_dx").ptr(pd).ptr(px).ptr(pg).ptr(ps).ptr(pdx).i32(cols).go(rows, 1);
    }

    @Override public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor rowLoss) {
        String op = "softmaxCrossEntropy";
        enter();
        long pl = p(op, "logits", logits), py = p(op, "labels", labels), pd = p(op, "dLogits", dLogits), ploss = p(op, "rowLoss", rowLoss);
        int rows = logits.rows(), classes = logits.cols();
        OpContracts.softmaxCrossEntropy(op, logits, labels, dLogits, rowLoss);
        k.call("softmax_ce").ptr(pl).ptr(py).ptr(pd).ptr(ploss).i32(classes).f32(1f / rows).ptr(workspace).go(rows, 1);
    }

    // ---------------------------------------------------------------- attention pieces

    @Override public void causalSoftmaxForward(Tensor scores, float scale, int batchHeads, int t, Tensor probs) {
        String op = "causalSoftmaxForward(batchHeads=" + batchHeads + ", t=" + t + ")";
        enter();
        long ps = p(op, "scores", scores), pp = p(op, "probs", probs);
        OpContracts.causalSoftmaxForward(op, scores, batchHeads, t, probs);
        k.call("causal_softmax_fwd").ptr(ps).f32(scale).i32(t).ptr(pp).go((long) batchHeads * t, 1);
    }

    @Override public void causalSoftmaxBackward(Tensor dProbs, Tensor probs, float scale, int batchHeads, int t, Tensor dScores) {
        String op = "causalSoftmaxBackward(batchHeads=" + batchHeads + ", t=" + t + ")";
        enter();
        long pd = p(op, "dProbs", dProbs), pp = p(op, "probs", probs), pds = p(op, "dScores", dScores);
        OpContracts.causalSoftmaxBackward(op, dProbs, probs, batchHeads, t, dScores);
        k.call("causal_softmax_bwd").ptr(pd).ptr(pp).f32(scale).i32(t).ptr(pds).go((long) batchHeads * t, 1);
    }

    @Override public void rope(Tensor x, int batch, int t, int heads, int headDim, float theta, boolean inverse) {
        String op = "rope(batch=" + batch + ", t=" + t + ", heads=" + heads + ", headDim=" + headDim + ")";
        enter();
        long px = p(op, "x", x);
        OpContracts.rope(op, x, batch, t, heads, headDim);
        long pairs = x.size() / 2;
        k.call("rope").ptr(px).i32(t).i32(heads).i32(headDim).f32(theta).i32(inverse ? 1 : 0).i64(pairs).go(CudaKernels.gridFor(pairs), 1);
    }

    @Override public void embeddingForward(Tensor table, Tensor tokens, Tensor out) {
        String op = "embeddingForward";
        enter();
        long pt = p(op, "table", table), pk = p(op, "tokens", tokens), po = p(op, "out", out);
        int vocab = table.rows(), d = table.cols(), rows = (int) tokens.size();
        OpContracts.embeddingForward(op, table, tokens, out);
        k.call("embedding_fwd").ptr(pt).ptr(pk).ptr(po).i32(rows).i32(vocab).i32(d).ptr(workspace).go(CudaKernels.gridFor((long) rows * d), 1);
    }

    @Override public void embeddingBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        String op = "embeddingBackward";
        enter();
        long pd = p(op, "dOut", dOut), pk = p(op, "tokens", tokens), pt = p(op, "dTable", dTable);
        int vocab = dTable.rows(), d = dTable.cols(), rows = (int) tokens.size();
        OpContracts.embeddingBackward(op, dOut, tokens, dTable);
        k.call("embedding_bwd").ptr(pd).ptr(pk).ptr(pt).i32(rows).i32(vocab).i32(d).ptr(workspace).go(blocks(d), 1);
    }

    // ---------------------------------------------------------------- element-wise and reductions

    @Override public void axpy(float alpha, Tensor x, Tensor y) {
        enter();
        long px = p("axpy", "x", x), py = p("axpy", "y", y);
        OpContracts.axpy("axpy", x, y);
        k.call("axpy").f32(alpha).ptr(px).ptr(py).i64(x.size()).go(CudaKernels.gridFor(x.size()), 1);
    }

    @Override public void scale(Tensor x, float alpha) {
        enter();
        long px = p("scale", "x", x);
        k.call("scale").ptr(px).f32(alpha).i64(x.size()).go(CudaKernels.gridFor(x.size()), 1);
    }

    @Override public void add(Tensor a, Tensor b, Tensor out) {
        enter();
        long pa = p("add", "a", a), pb = p("add", "b", b), po = p("add", "out", out);
        OpContracts.add("add", a, b, out);
        k.call("add").ptr(pa).ptr(pb).ptr(po).i64(a.size()).go(CudaKernels.gridFor(a.size()), 1);
    }

    @Override public void columnSum(Tensor x, Tensor out, boolean accumulate) {
        enter();
        long px = p("columnSum", "x", x), po = p("columnSum", "out", out);
        OpContracts.columnSum("columnSum", x, out);
        columnSums(px, po, x.rows(), x.cols(), accumulate);
    }

    private void columnSums(long x, long out, int rows, int cols, boolean accumulate) {
        k.call("column_sum").ptr(x).ptr(out).i32(rows).i32(cols).i32(accumulate ? 1 : 0).go(blocks(cols), 1);
    }

    private static long blocks(long threads) { return (threads + CudaKernels.BLOCK - 1) / CudaKernels.BLOCK; }

    /** mode 0 sum, 1 sum of squares, 2 dot; two launches, one 8-byte copy back. */
    private double reduce(long a, long b, long n, int mode) {
        long partials = workspace + 16, result = partials + 8L * PARTIALS;
        int grid = (int) Math.min(PARTIALS, CudaKernels.gridFor(n));
        if (n == 0) return 0.0;
        k.call("reduce_partial").ptr(a).ptr(b).i64(n).i32(mode).ptr(partials).go(grid, 1);
        k.call("reduce_final").ptr(partials).i32(grid).ptr(result).go(1, 1);
        CudaRuntime.copyToHost(hostScratch, result, 8, stream);
        double v = hostScratch.get(ValueLayout.JAVA_DOUBLE, 0);
        checkIndexErrors();
        return v;
    }

    @Override public double sumSquares(Tensor x) {
        enter();
        return reduce(p("sumSquares", "x", x), 0, x.size(), 1);
    }

    @Override public double dot(Tensor a, Tensor b) {
        enter();
        long pa = p("dot", "a", a), pb = p("dot", "b", b);
        OpContracts.dot("dot", a, b);
        return reduce(pa, pb, a.size(), 2);
    }

    @Override public double sum(Tensor x) {
        enter();
        return reduce(p("sum", "x", x), 0, x.size(), 0);
    }

    // ---------------------------------------------------------------- optimizers

    @Override public void sgdMomentumUpdate(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum,
                                            float weightDecay, float gradScale) {
        String op = "sgdMomentumUpdate";
        enter();
        long pp = p(op, "param", param), pg = p(op, "grad", grad), pv = p(op, "velocity", velocity);
        OpContracts.sgdMomentumUpdate(op, param, grad, velocity);
        k.call("sgd_momentum").ptr(pp).ptr(pg).ptr(pv).i64(param.size()).f32(lr).f32(momentum).f32(weightDecay).f32(gradScale)
                .go(CudaKernels.gridFor(param.size()), 1);
    }

    @Override public void adamwUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                                      float eps, float weightDecay, int step, float gradScale) {
        String op = "adamwUpdate";
        enter();
        long pp = p(op, "param", param), pg = p(op, "grad", grad), pm = p(op, "m", m), pv = p(op, "v", v);
        OpContracts.adamwUpdate(op, param, grad, m, v, step);
        float bc1 = (float) (1.0 - Math.pow(beta1, step)), bc2 = (float) (1.0 - Math.pow(beta2, step));
        k.call("adamw").ptr(pp).ptr(pg).ptr(pm).ptr(pv).i64(param.size()).f32(lr).f32(beta1).f32(beta2).f32(eps)
                .f32(weightDecay).f32(bc1).f32(bc2).f32(gradScale).go(CudaKernels.gridFor(param.size()), 1);
    }

    // ---------------------------------------------------------------- continuity reductions

    @Override public void adjacentAbsCos(Tensor vecs, Tensor out) {
        String op = "adjacentAbsCos";
        enter();
        long pv = p(op, "vecs", vecs), po = p(op, "out", out);
        int l = vecs.rows(), d = vecs.cols();
        OpContracts.adjacentAbsCos(op, vecs, out);
        k.call("adjacent_abs_cos").ptr(pv).ptr(po).i32(d).go(l - 1, 1);
    }

    @Override public void adjacentDotsAndNorms(Tensor stack, Tensor out) {
        String op = "adjacentDotsAndNorms";
        enter();
        long ps = p(op, "stack", stack), po = p(op, "out", out);
        int l = stack.rows();
        long n = stack.cols();
        OpContracts.adjacentDotsAndNorms(op, stack, out);
        if (l == 0) return;
        int results = 2 * l - 1;
        if (accDoubles < results) { // grows once to the largest stack seen, not per step
            CudaRuntime.free(acc);
            acc = 0;
            acc = CudaRuntime.malloc(8L * results);
            accDoubles = results;
        }
        CudaRuntime.memsetAsync(acc, 0, 8L * results, stream);
        long chunk = Math.max(CudaKernels.BLOCK * 16L, (n + 255) / 256);
        long chunks = Math.max(1, (n + chunk - 1) / chunk);
        k.call("adjacent_dots_norms").ptr(ps).ptr(acc).i32(l).i64(n).i64(chunk).go(chunks, l);
        k.call("doubles_to_floats").ptr(acc).ptr(po).i32(results).go(blocks(results), 1);
    }

    // ---------------------------------------------------------------- life cycle

    /** Bytes {free, total} on this backend's device. */
    public long[] memoryInfo() {
        enter();
        return CudaRuntime.memInfo();
    }

    long stream() { return stream; }

    private final List<CudaSvd> svds = new ArrayList<>(); // handed out by exact(); their cuSOLVER handles die with us

    /** cuSOLVER's exact SVD for the SVD planner (geocont analyze --backend cuda --exact). */
    @Override public synchronized Svd exact() {
        CudaSvd s = CudaSvd.exact(this);
        svds.add(s);
        return s;
    }

    /** The matrix on this GPU as the product operator of the shared top-k SVD (caller closes it). */
    @Override public GramOperator upload(Matrix a) { return new CudaGramOperator(this, a); }

    @Override public void close() {
        if (closed) return;
        RuntimeException first = null;
        for (CudaSvd s : svds) {
            try {
                s.close();
            } catch (RuntimeException e) {
                first = keepFirst(first, e);
            }
        }
        svds.clear();
        try {
            enter();
            CudaRuntime.streamSynchronize(stream, "close");
        } catch (RuntimeException e) {
            first = keepFirst(first, e);
        }
        closed = true;
        for (CudaTensor x : open.toArray(new CudaTensor[0])) {
            try {
                CudaRuntime.free(x.ptr());
            } catch (RuntimeException e) {
                first = keepFirst(first, e);
            }
        }
        open.clear();
        Runnable[] steps = {blas::close, k::close, () -> CudaRuntime.free(acc), () -> CudaRuntime.free(cublasWorkspace),
                () -> CudaRuntime.free(workspace), () -> CudaRuntime.streamDestroy(stream), hostArena::close};
        for (Runnable r : steps) {
            try {
                r.run();
            } catch (RuntimeException e) {
                first = keepFirst(first, e);
            }
        }
        if (first != null) throw first;
    }

    /** The first failure of a close is the one thrown; later ones ride along as suppressed, none is lost. */
    private static RuntimeException keepFirst(RuntimeException first, RuntimeException e) {
        if (first == null) return e;
        first.addSuppressed(e);
        return first;
    }

    @Override public String toString() { return "CudaBackend[" + description + ", " + open.size() + " open tensors" + "]"; }

    /** Open tensors (for leak checks in tests). */
    int openTensors() { return open.size(); }

}
