package io.geocont.models.transformer;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

/**
 * One pre-norm block: x1 = x + Attn(norm1(x)); out = x1 + Mlp(norm2(x1)). With the residual
 * ablation off: x1 = Attn(norm1(x)); out = Mlp(norm2(x1)).
 */
public final class Block {
    private final Backend be;
    private final boolean residual;
    public final Norm norm1, norm2;
    public final Attention attn;
    public final GatedMlp mlp;
    final Tensor xn1, x1, xn2;   // forward caches [rows, d]
    private final Scratch s;

    Block(Backend be, TransformerConfig c, Norm norm1, Attention attn, Norm norm2, GatedMlp mlp, Scratch s) {
        this.be = be; this.residual = c.residual(); this.norm1 = norm1; this.attn = attn; this.norm2 = norm2;
        this.mlp = mlp; this.s = s;
        xn1 = be.zeros(c.rows(), c.dModel()); x1 = be.zeros(c.rows(), c.dModel()); xn2 = be.zeros(c.rows(), c.dModel());
    }

    /** out = block(x); x must stay unchanged until {@link #backward}; out must not alias x. */
    public void forward(Tensor x, Tensor out) {
        norm1.forward(x, xn1);
        attn.forward(xn1, x1);
        if (residual) be.add(x1, x, x1);
        norm2.forward(x1, xn2);
        mlp.forward(xn2, out);
        if (residual) be.add(out, x1, out);
    }

    /** dx from dOut (dx must not alias dOut); accumulates every gradient of the block. */
    public void backward(Tensor dOut, Tensor dx) {
        mlp.backward(dOut, s.dxn);
        norm2.backward(s.dxn, s.dx1);
        if (residual) be.add(s.dx1, dOut, s.dx1);
        attn.backward(s.dx1, s.dxn);
        norm1.backward(s.dxn, dx);
        if (residual) be.add(dx, s.dx1, dx);
    }

    /** Frees this block's caches and its modules' (the shared Scratch is the model's to free). */
    void close() {
        for (Tensor t : new Tensor[]{xn1, x1, xn2}) t.close();
        norm1.close(); attn.close(); norm2.close(); mlp.close();
    }
}
