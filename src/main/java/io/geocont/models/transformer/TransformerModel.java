package io.geocont.models.transformer;

import io.geocont.models.Param;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small Llama-style decoder (science.md E3): token embedding, pre-norm blocks with causal RoPE
 * attention and a gated MLP, final norm, untied output head. Weights are stored out x in;
 * matrices start N(0, initStd^2), norm gains at 1. Forward and backward are written by hand on
 * the {@link Backend} API only, so any backend runs it; every buffer is allocated once, here.
 */
public final class TransformerModel implements AutoCloseable {
    /** The projections whose continuity is measured, in Fig. 3 order. */
    public static final List<String> PROJECTIONS = List.of("q", "k", "v", "o", "gate", "up", "down");

    private final Backend be;
    private final TransformerConfig c;
    private final List<Param> params = new ArrayList<>();
    private final Param embedding, head;
    private final Block[] blocks;
    private final Norm finalNorm;
    private final Tensor[] xs;            // xs[l] = input of block l; xs[L] = last block's output
    private final Tensor xf, logits, rowLoss, dA, dB;
    private Tensor tokens;
    private final Scratch scratch;
    private boolean closed;

    public TransformerModel(Backend be, TransformerConfig c, long seed) {
        this.be = be; this.c = c;
        SplittableRandom rng = new SplittableRandom(seed);
        int d = c.dModel(), ff = c.dFf(), n = c.rows();
        float eps = (float) c.normEps();
        Scratch s = new Scratch(be, c);
        this.scratch = s;
        embedding = matrix("embedding", c.vocab(), d, rng);
        blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "layers." + l + ".";
            Norm n1 = new Norm(be, c.norm(), eps, gain(p + "attn_norm", d), n);
            Param wq = matrix(p + "q", d, d, rng), wk = matrix(p + "k", d, d, rng),
                  wv = matrix(p + "v", d, d, rng), wo = matrix(p + "o", d, d, rng);
            Norm n2 = new Norm(be, c.norm(), eps, gain(p + "mlp_norm", d), n);
            Param wg = matrix(p + "gate", ff, d, rng), wu = matrix(p + "up", ff, d, rng), wd = matrix(p + "down", d, ff, rng);
            blocks[l] = new Block(be, c, n1, new Attention(be, c, wq, wk, wv, wo, s), n2, new GatedMlp(be, c, wg, wu, wd, s), s);
        }
        finalNorm = new Norm(be, c.norm(), eps, gain("final_norm", d), n);
        head = matrix("head", c.vocab(), d, rng);
        xs = new Tensor[c.layers() + 1];
        for (int l = 0; l <= c.layers(); l++) xs[l] = be.zeros(n, d);
        xf = be.zeros(n, d);
        logits = be.zeros(n, c.vocab());
        rowLoss = be.zeros(n);
        dA = be.zeros(n, d);
        dB = be.zeros(n, d);
    }

    /**
     * Frees every tensor the model allocated: parameters and their gradients, each module's
     * caches and the shared buffers (on a GPU, device memory; on the CPU the tensors refuse use
     * from then on). The tokens and targets handed to {@link #forward} are the caller's. Closing
     * twice does nothing.
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        for (Param p : params) { p.value().close(); p.grad().close(); }
        for (Block b : blocks) b.close();
        finalNorm.close();
        scratch.close();
        for (Tensor t : xs) t.close();
        for (Tensor t : new Tensor[]{xf, logits, rowLoss, dA, dB}) t.close();
        tokens = null;
    }

    public TransformerConfig config() { return c; }
    public Backend backend() { return be; }

    /** Every parameter in a fixed order (the checkpoint and optimizer order). */
    public List<Param> params() { return Collections.unmodifiableList(params); }

    public Block block(int l) { return blocks[l]; }

    /** The weight of projection {@code name} (q, k, v, o, gate, up, down) in block l. */
    public Param projection(int l, String name) {
        Block b = blocks[l];
        return switch (name) {
            case "q" -> b.attn.wq; case "k" -> b.attn.wk; case "v" -> b.attn.wv; case "o" -> b.attn.wo;
            case "gate" -> b.mlp.wg; case "up" -> b.mlp.wu; case "down" -> b.mlp.wd;
            default -> throw new IllegalArgumentException("unknown projection '" + name + "' (expected one of " + PROJECTIONS + ")");
        };
    }

    /** What projection {@code name} of block l read in the last forward ([rows, in]). */
    public Tensor projectionInput(int l, String name) {
        Block b = blocks[l];
        return switch (name) {
            case "q", "k", "v" -> b.attn.input();
            case "o" -> b.attn.headOutputs();
            case "gate", "up" -> b.mlp.input();
            case "down" -> b.mlp.hidden();
            default -> throw new IllegalArgumentException("unknown projection '" + name + "'");
        };
    }

    /**
     * Forward pass on tokens [batch*seq] with next-token targets [batch*seq] (indices as
     * floats); returns the mean cross-entropy in nats and leaves the caches for {@link #backward}.
     */
    public double forward(Tensor tokens, Tensor targets) {
        if (tokens.size() != c.rows() || targets.size() != c.rows())
            throw new IllegalArgumentException("tokens and targets need batch*seq = " + c.rows() + " entries, got "
                    + tokens.size() + " and " + targets.size());
        this.tokens = tokens;
        be.embeddingForward(embedding.value(), tokens, xs[0]);
        for (int l = 0; l < blocks.length; l++) blocks[l].forward(xs[l], xs[l + 1]);
        finalNorm.forward(xs[blocks.length], xf);
        Linear.forward(be, xf, head, logits);
        be.softmaxCrossEntropy(logits, targets, logits, rowLoss);   // logits now hold dLoss/dLogits
        return be.sum(rowLoss) / c.rows();
    }

    /** Backward of the last forward: overwrites every parameter's gradient (of the mean loss). */
    public void backward() {
        if (tokens == null) throw new IllegalStateException("backward before forward");
        for (Param p : params) if (!p.decay()) be.fill(p.grad(), 0f);   // norm gains accumulate
        be.fill(embedding.grad(), 0f);                                    // embedding accumulates
        Linear.weightGrad(be, logits, xf, head);
        Linear.inputGrad(be, logits, head, 0f, dB);
        finalNorm.backward(dB, dA);
        Tensor dOut = dA, dIn = dB;
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dOut, dIn);
            Tensor t = dOut; dOut = dIn; dIn = t;
        }
        be.embeddingBackward(dOut, tokens, embedding.grad());
    }

    private Param matrix(String name, int rows, int cols, SplittableRandom rng) {
        float[] w = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < w.length; i++) w[i] = (float) (c.initStd() * rng.nextGaussian());
        Param p = new Param(name, be.fromArray(w, rows, cols), be.zeros(rows, cols), true);
        params.add(p);
        return p;
    }

    private Param gain(String name, int d) {
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        Param p = new Param(name, be.fromArray(ones, d), be.zeros(d), false);
        params.add(p);
        return p;
    }
}
