package io.geocont.models.transformer;

import io.geocont.models.NormKind;

import io.geocont.backend.Activation;

/**
 * Shape and ablation switches of the Llama-style model (science.md E3).
 *
 * @param vocab         token vocabulary (256 for the byte tokenizer)
 * @param dModel        residual width
 * @param layers        number of blocks
 * @param heads         attention heads (dModel / heads must be even for RoPE)
 * @param dFf           hidden width of the gated MLP
 * @param seq           sequence length T (RoPE positions 0..T-1)
 * @param batch         sequences per step (the workspace is sized for batch x seq rows)
 * @param residual      false = the --no-residual ablation (each block's output replaces its input)
 * @param mlpActivation the gate's activation: SILU (SwiGLU), GELU, IDENTITY (bilinear), RADIAL_TANH, ...
 * @param norm          RMSNorm (default) or LayerNorm (bias-free here); NONE is refused
 * @param initStd       std of the N(0, initStd^2) init of every matrix (0.02)
 * @param ropeTheta     RoPE base (10000)
 * @param normEps       epsilon of the norms (1e-5)
 */
public record TransformerConfig(int vocab, int dModel, int layers, int heads, int dFf, int seq, int batch,
                                boolean residual, Activation mlpActivation, NormKind norm,
                                double initStd, double ropeTheta, double normEps) {
    public TransformerConfig {
        positive("vocab", vocab); positive("d-model", dModel); positive("layers", layers);
        positive("heads", heads); positive("d-ff", dFf); positive("seq", seq); positive("batch", batch);
        if (dModel % heads != 0)
            throw new IllegalArgumentException("d-model " + dModel + " is not divisible by heads " + heads);
        if ((dModel / heads) % 2 != 0)
            throw new IllegalArgumentException("head size d-model/heads = " + dModel / heads + " must be even for RoPE");
        if (mlpActivation == null || norm == null) throw new IllegalArgumentException("activation and norm must be given");
        if (norm == NormKind.NONE) throw new IllegalArgumentException("the transformer's blocks are pre-norm: norm must be rms or ln, not none");
        if (mlpActivation == Activation.RADIAL_RELU)
            throw new IllegalArgumentException("radial-relu needs a threshold parameter; use silu, gelu, none, radial-tanh or radial-sigmoid");
        if (!(initStd > 0) || !(ropeTheta > 1) || !(normEps > 0))
            throw new IllegalArgumentException("init std, RoPE theta and norm eps must be positive (theta > 1)");
    }

    /** The Llama-style defaults for a shape: residual, SwiGLU, RMSNorm, init 0.02, theta 10000, eps 1e-5. */
    public static TransformerConfig llama(int vocab, int dModel, int layers, int heads, int dFf, int seq, int batch) {
        return new TransformerConfig(vocab, dModel, layers, heads, dFf, seq, batch, true, Activation.SILU, NormKind.RMS,
                0.02, 10000, 1e-5);
    }

    public int headDim() { return dModel / heads; }

    /** Rows of every activation matrix: batch x seq. */
    public int rows() { return Math.multiplyExact(batch, seq); }

    /** Parameter count (embedding, blocks, final norm, untied head). */
    public long parameterCount() {
        long block = 4L * dModel * dModel + 3L * dModel * dFf + 2L * dModel;
        return 2L * vocab * dModel + layers * block + dModel;
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
}
