package io.geocont.models.mlp;

import io.geocont.linalg.Matrix;
import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.data.Dataset;
import io.geocont.models.NormKind;
import io.geocont.models.Param;
import io.geocont.util.SplitMix64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The toy MLP of {@link MlpConfig} on a {@link Backend}. All model math runs through backend ops
 * (GEMMs, fused bias+activation, norms, softmax-CE), so the CUDA backend runs it unchanged.
 * The hidden weights live in one stacked tensor [depth, width * width] (block l at offset
 * l * width^2), and so do their gradients, so continuity reductions and epoch sums act on the
 * whole stack at once. Activations live in a {@link Workspace} made once per batch size.
 */
public final class MlpModel implements AutoCloseable {
    static final float NORM_EPS = 1e-5f;

    private final Backend be;
    private final MlpConfig cfg;
    private final int d, in, c, depth;

    private final Tensor wIn, bIn, wH, wOut, bOut;
    private final Tensor[] bH, gain, nBias;          // gain/nBias: depth + 1 (last = final norm) or empty
    private final Tensor gwIn, gbIn, gwH, gwOut, gbOut;
    private final Tensor[] gbH, gGain, gnBias;
    private final List<Param> params = new ArrayList<>();
    private final Map<Integer, Workspace> workspaces = new HashMap<>();

    public MlpModel(Backend backend, MlpConfig cfg, long seed) {
        this.be = backend;
        this.cfg = cfg;
        this.d = cfg.width();
        this.in = cfg.inputDim();
        this.c = cfg.classes();
        this.depth = cfg.depth();
        wIn = be.zeros(d, in); bIn = be.zeros(d);
        wH = be.zeros(depth, d * d);
        wOut = be.zeros(c, d); bOut = be.zeros(c);
        gwIn = be.zeros(d, in); gbIn = be.zeros(d);
        gwH = be.zeros(depth, d * d);
        gwOut = be.zeros(c, d); gbOut = be.zeros(c);
        bH = new Tensor[depth];
        gbH = new Tensor[depth];
        for (int l = 0; l < depth; l++) { bH[l] = be.zeros(d); gbH[l] = be.zeros(d); }
        int nNorm = cfg.norm() == NormKind.NONE ? 0 : depth + 1;
        int nBiasCount = cfg.norm() == NormKind.LAYER ? nNorm : 0;
        gain = new Tensor[nNorm]; gGain = new Tensor[nNorm];
        nBias = new Tensor[nBiasCount]; gnBias = new Tensor[nBiasCount];
        for (int i = 0; i < nNorm; i++) { gain[i] = be.zeros(d); gGain[i] = be.zeros(d); be.fill(gain[i], 1f); }
        for (int i = 0; i < nBiasCount; i++) { nBias[i] = be.zeros(d); gnBias[i] = be.zeros(d); }

        params.add(new Param("input.weight", wIn, gwIn, true));
        params.add(new Param("input.bias", bIn, gbIn, false));
        params.add(new Param("hidden.weight", wH, gwH, true));
        for (int l = 0; l < depth; l++) params.add(new Param("hidden." + l + ".bias", bH[l], gbH[l], false));
        for (int i = 0; i < nNorm; i++) params.add(new Param(normName(i) + ".gain", gain[i], gGain[i], false));
        for (int i = 0; i < nBiasCount; i++) params.add(new Param(normName(i) + ".bias", nBias[i], gnBias[i], false));
        params.add(new Param("readout.weight", wOut, gwOut, true));
        params.add(new Param("readout.bias", bOut, gbOut, false));
        initialize(seed);
    }

    private String normName(int i) { return i == depth ? "final_norm" : "hidden." + i + ".norm"; }

    public MlpConfig config() { return cfg; }
    public Backend backend() { return be; }

    /** Every trainable tensor in a fixed order (the checkpoint order). */
    public List<Param> parameters() { return List.copyOf(params); }

    /** The stacked hidden weights [depth, width * width] (out x in per block). */
    public Tensor hiddenWeightStack() { return wH; }

    /** The stacked hidden weight gradients of the last backward pass. */
    public Tensor hiddenGradientStack() { return gwH; }

    /** Host copies of the hidden weights, one out x in matrix per block. */
    public List<Matrix> hiddenWeights() { return split(host(wH)); }

    /** Host copies of the hidden weight gradients of the last backward pass. */
    public List<Matrix> hiddenGradients() { return split(host(gwH)); }

    /** The tensor's host array where the backend has one (split copies it), else a copy. */
    private static float[] host(Tensor t) {
        float[] a = t.hostArrayOrNull();
        return a != null ? a : t.toArray();
    }

    /** Splits a host copy of a [depth, width, width] stack into matrices. */
    public List<Matrix> split(float[] stack) {
        int per = d * d;
        if (stack.length != per * depth) throw new IllegalArgumentException("stack has " + stack.length + " values, expected " + per * depth);
        List<Matrix> out = new ArrayList<>(depth);
        for (int l = 0; l < depth; l++) out.add(new Matrix(d, d, java.util.Arrays.copyOfRange(stack, l * per, (l + 1) * per)));
        return out;
    }

    // ---------------------------------------------------------------- initialization

    private void initialize(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        boolean kaiming = cfg.init() == InitKind.KAIMING;
        fillLinear(rng, wIn, bIn, in, kaiming);
        float[] w = new float[depth * d * d];
        float[] b = new float[d];
        for (int l = 0; l < depth; l++) {
            float[] wl = new float[d * d];
            linearValues(rng, wl, b, d, kaiming);
            System.arraycopy(wl, 0, w, l * d * d, d * d);
            bH[l].copyFrom(b);
        }
        wH.copyFrom(w);
        fillLinear(rng, wOut, bOut, d, false);
    }

    private void fillLinear(SplitMix64 rng, Tensor wt, Tensor bt, int fanIn, boolean kaiming) {
        float[] w = new float[(int) wt.size()];
        float[] b = new float[(int) bt.size()];
        linearValues(rng, w, b, fanIn, kaiming);
        wt.copyFrom(w);
        bt.copyFrom(b);
    }

    /** PyTorch nn.Linear default (uniform +-1/sqrt(fan_in) for W and b) or Kaiming normal with zero bias. */
    private static void linearValues(SplitMix64 rng, float[] w, float[] b, int fanIn, boolean kaiming) {
        if (kaiming) {
            double std = Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < w.length; i++) w[i] = (float) (std * rng.nextGaussian());
            java.util.Arrays.fill(b, 0f);
        } else {
            double bound = 1.0 / Math.sqrt(fanIn);
            for (int i = 0; i < w.length; i++) w[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
            for (int i = 0; i < b.length; i++) b[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
    }

    // ---------------------------------------------------------------- workspace

    /** The activations and scratch of one batch size, made on first use and then reused. */
    public Workspace workspace(int batch) {
        return workspaces.computeIfAbsent(batch, Workspace::new);
    }

    public final class Workspace implements AutoCloseable {
        public final int batch;
        final Tensor x, labels, logitsPre, logits, dLogits, rowLoss;
        final Tensor[] h, z, nrm, mean, rstd;     // h[0..depth]; z[0..depth]; nrm/mean/rstd[0..depth] (index depth = final norm)
        Tensor g, gAlt, dN;
        /** dPre[l]: the gradient wrt block l's pre-activation, one per block, since block l's deferred weight gradient still reads it while block l - 1 is done. */
        final Tensor[] dPre;
        final float[] hostX, hostY;

        Workspace(int batch) {
            this.batch = batch;
            x = be.zeros(batch, in);
            labels = be.zeros(batch);
            logitsPre = be.zeros(batch, c);
            logits = be.zeros(batch, c);
            dLogits = be.zeros(batch, c);
            rowLoss = be.zeros(batch);
            h = new Tensor[depth + 1];
            z = new Tensor[depth + 1];
            for (int l = 0; l <= depth; l++) { h[l] = be.zeros(batch, d); z[l] = be.zeros(batch, d); }
            boolean norm = cfg.norm() != NormKind.NONE;
            nrm = new Tensor[norm ? depth + 1 : 0];
            mean = new Tensor[norm ? depth + 1 : 0];
            rstd = new Tensor[norm ? depth + 1 : 0];
            for (int l = 0; l < nrm.length; l++) { nrm[l] = be.zeros(batch, d); mean[l] = be.zeros(batch); rstd[l] = be.zeros(batch); }
            g = be.zeros(batch, d); gAlt = be.zeros(batch, d); dN = be.zeros(batch, d);
            dPre = new Tensor[depth + 1];
            for (int l = 1; l <= depth; l++) dPre[l] = be.zeros(batch, d);
            hostX = new float[batch * in];
            hostY = new float[batch];
        }

        /** Copies rows order[from .. from + batch) of {@code data} into the input tensors. */
        public void load(Dataset data, int[] order, int from) {
            if (data.dim() != in) throw new IllegalArgumentException("data has dim " + data.dim() + ", model expects " + in);
            float[] src = data.images();
            for (int r = 0; r < batch; r++) {
                int i = order == null ? from + r : order[from + r];
                System.arraycopy(src, i * in, hostX, r * in, in);
                hostY[r] = data.labels()[i];
            }
            x.copyFrom(hostX);
            labels.copyFrom(hostY);
        }

        /** Loads an explicit batch (tests): x [batch * inputDim], labels as class indices. */
        public void load(float[] xs, int[] ys) {
            System.arraycopy(xs, 0, hostX, 0, hostX.length);
            for (int r = 0; r < batch; r++) hostY[r] = ys[r];
            x.copyFrom(hostX);
            labels.copyFrom(hostY);
        }

        /** Host copy of the logits of the last forward pass [batch * classes]. */
        public float[] logits() { return logits.toArray(); }

        /** Host copy of the per-row losses of the last {@link #loss} call. */
        public float[] rowLosses() { return rowLoss.toArray(); }

        @Override public void close() {
            for (Tensor t : new Tensor[]{x, labels, logitsPre, logits, dLogits, rowLoss, g, gAlt, dN}) t.close();
            for (int l = 1; l <= depth; l++) dPre[l].close();
            for (Tensor[] ts : new Tensor[][]{h, z, nrm, mean, rstd}) for (Tensor t : ts) t.close();
        }
    }

    // ---------------------------------------------------------------- forward / backward

    /** Forward pass of the loaded batch; leaves the logits and every backward cache in {@code ws}. */
    public void forward(Workspace ws) {
        int bsz = ws.batch;
        be.linearActForward(false, true, bsz, d, in, 1f, ws.x, 0, in, wIn, 0, in, ws.z[0], bIn, Activation.IDENTITY, 0f, null, ws.h[0]);
        for (int l = 1; l <= depth; l++) {
            Tensor src = normForward(ws, l - 1, ws.h[l - 1]);
            be.linearActForward(false, true, bsz, d, d, 1f, src, 0, d, wH, (long) (l - 1) * d * d, d,
                    ws.z[l], bH[l - 1], cfg.activation(), cfg.actParam(), cfg.residual() ? ws.h[l - 1] : null, ws.h[l]);
        }
        Tensor src = normForward(ws, depth, ws.h[depth]);
        be.linearActForward(false, true, bsz, c, d, 1f, src, 0, d, wOut, 0, d, ws.logitsPre, bOut, Activation.IDENTITY, 0f, null, ws.logits);
    }

    /** Norm i (i = depth: the final norm) of x, or x itself without a norm. */
    private Tensor normForward(Workspace ws, int i, Tensor x) {
        switch (cfg.norm()) {
            case LAYER -> be.layerNormForward(x, gain[i], nBias[i], NORM_EPS, ws.nrm[i], ws.mean[i], ws.rstd[i]);
            case RMS -> be.rmsNormForward(x, gain[i], NORM_EPS, ws.nrm[i], ws.rstd[i]);
            case NONE -> { return x; }
        }
        return ws.nrm[i];
    }

    /** Writes dOut's gradient wrt x into dx (norm i); without a norm, returns dOut unchanged. */
    private Tensor normBackward(Workspace ws, int i, Tensor x, Tensor dOut, Tensor dx) {
        switch (cfg.norm()) {
            case LAYER -> be.layerNormBackward(dOut, x, gain[i], ws.mean[i], ws.rstd[i], dx, gGain[i], gnBias[i]);
            case RMS -> be.rmsNormBackward(dOut, x, gain[i], ws.rstd[i], dx, gGain[i]);
            case NONE -> { return dOut; }
        }
        return dx;
    }

    /** Softmax cross-entropy of the last forward pass against the loaded labels (writes dLogits). */
    public void loss(Workspace ws) {
        be.softmaxCrossEntropy(ws.logits, ws.labels, ws.dLogits, ws.rowLoss);
    }

    /**
     * Backward pass after {@link #forward} and {@link #loss}: overwrites every gradient. The
     * weight gradients are deferred GEMMs (nothing in the pass reads them), so on the CPU they
     * run beside the chain of data gradients; the pass waits for them before it returns.
     */
    public void backward(Workspace ws) {
        int bsz = ws.batch;
        for (Tensor t : gGain) be.fill(t, 0f);       // norm backward accumulates into these
        for (Tensor t : gnBias) be.fill(t, 0f);
        // readout
        Tensor src = cfg.norm() == NormKind.NONE ? ws.h[depth] : ws.nrm[depth];
        be.columnSum(ws.dLogits, gbOut, false);
        be.gemmDeferred(true, false, c, d, bsz, 1f, ws.dLogits, 0, c, src, 0, d, 0f, gwOut, 0, d);
        Tensor dSrc = cfg.norm() == NormKind.NONE ? ws.g : ws.dN;
        be.gemm(false, false, bsz, d, c, 1f, ws.dLogits, 0, c, wOut, 0, d, 0f, dSrc, 0, d);
        Tensor g = normBackward(ws, depth, ws.h[depth], dSrc, ws.g);   // gradient wrt h[depth], in ws.g
        Tensor spare = ws.gAlt;
        for (int l = depth; l >= 1; l--) {
            Tensor dPre = ws.dPre[l];
            be.biasActBackward(g, ws.z[l], cfg.activation(), cfg.actParam(), dPre, gbH[l - 1]);
            Tensor in_l = cfg.norm() == NormKind.NONE ? ws.h[l - 1] : ws.nrm[l - 1];
            long off = (long) (l - 1) * d * d;
            be.gemmDeferred(true, false, d, d, bsz, 1f, dPre, 0, d, in_l, 0, d, 0f, gwH, off, d);
            if (cfg.residual() && cfg.norm() == NormKind.NONE) {
                // h[l] = h[l-1] + f(h[l-1]) with no norm: g += dPre W in the GEMM itself (beta = 1),
                // one pass over g fewer per block. The same bits as the GEMM then axpy while d fits
                // one of Gemm's 256-long k blocks (both scales do; wider nets round in another order)
                be.gemm(false, false, bsz, d, d, 1f, dPre, 0, d, wH, off, d, 1f, g, 0, d);
                continue;
            }
            Tensor dIn = cfg.norm() == NormKind.NONE ? spare : ws.dN;
            be.gemm(false, false, bsz, d, d, 1f, dPre, 0, d, wH, off, d, 0f, dIn, 0, d);
            Tensor dx = normBackward(ws, l - 1, ws.h[l - 1], dIn, spare);   // lands in spare
            if (cfg.residual()) {
                be.axpy(1f, dx, g);                  // h[l] = h[l-1] + f(h[l-1]): both paths
            } else {
                Tensor t = g; g = spare; spare = t;  // h[l] = f(h[l-1]): only the block path
            }
        }
        // input layer (linear): dB = column sums, dW = g^T x (on this thread: the lane may still be busy)
        be.columnSum(g, gbIn, false);
        be.gemm(true, false, d, in, bsz, 1f, g, 0, d, ws.x, 0, in, 0f, gwIn, 0, in);
        be.awaitDeferred();
    }

    /** Mean loss and number of correct predictions of the last forward/loss pass (host copy). */
    public double[] lossAndCorrect(Workspace ws) {
        float[] rl = ws.rowLoss.toArray();
        float[] lg = ws.logits.toArray();
        double loss = 0;
        int correct = 0;
        float[] y = ws.hostY;
        for (int r = 0; r < ws.batch; r++) {
            loss += rl[r];
            int best = 0;
            for (int k = 1; k < c; k++) if (lg[r * c + k] > lg[r * c + best]) best = k;
            if (best == (int) y[r]) correct++;
        }
        return new double[]{loss, correct};
    }

    /** Mean loss and accuracy over a whole data set, forward only, in batches of {@code batch}. */
    public double[] evaluate(Dataset data, int batch) {
        double loss = 0, correct = 0;
        for (int from = 0; from < data.n(); from += batch) {
            int b = Math.min(batch, data.n() - from);
            Workspace ws = workspace(b);
            ws.load(data, null, from);
            forward(ws);
            loss(ws);
            double[] lc = lossAndCorrect(ws);
            loss += lc[0];
            correct += lc[1];
        }
        return new double[]{loss / data.n(), correct / data.n()};
    }

    @Override public void close() {
        for (Workspace ws : workspaces.values()) ws.close();
        workspaces.clear();
        for (Param p : params) { p.value().close(); p.grad().close(); }
    }
}
