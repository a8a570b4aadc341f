package io.geocont.models.transformer;

import io.geocont.models.Param;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

/** The gated MLP: out = Down(act(Gate xn) * Up xn); SwiGLU when act = SiLU. No biases. */
public final class GatedMlp {
    private final Backend be;
    private final Activation act;
    final Param wg, wu, wd;
    final Tensor g, u, a;   // forward caches [rows, dFf]
    private final Scratch s;
    private Tensor input;

    GatedMlp(Backend be, TransformerConfig c, Param wg, Param wu, Param wd, Scratch s) {
        this.be = be; this.act = c.mlpActivation(); this.wg = wg; this.wu = wu; this.wd = wd; this.s = s;
        g = be.zeros(c.rows(), c.dFf()); u = be.zeros(c.rows(), c.dFf()); a = be.zeros(c.rows(), c.dFf());
    }

    /** The input of Gate and Up (the normalized residual stream) of the last forward. */
    public Tensor input() { return input; }

    /** The input of Down (the gated hidden activations) of the last forward. */
    public Tensor hidden() { return a; }

    public void forward(Tensor xn, Tensor out) {
        input = xn;
        Linear.forward(be, xn, wg, g);
        Linear.forward(be, xn, wu, u);
        be.gatedActForward(g, u, act, 0f, a);
        Linear.forward(be, a, wd, out);
    }

    public void backward(Tensor dOut, Tensor dxn) {
        Linear.weightGrad(be, dOut, a, wd);
        Linear.inputGrad(be, dOut, wd, 0f, s.da);
        be.gatedActBackward(s.da, g, u, act, 0f, s.dg, s.du);
        Linear.weightGrad(be, s.dg, input, wg);
        Linear.weightGrad(be, s.du, input, wu);
        Linear.inputGrad(be, s.dg, wg, 0f, dxn);
        Linear.inputGrad(be, s.du, wu, 1f, dxn);
    }

    /** Frees this module's forward caches (the weights are the model's parameters). */
    void close() { for (Tensor t : new Tensor[]{g, u, a}) t.close(); }
}
