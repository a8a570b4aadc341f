package io.geocont.models.transformer;

import io.geocont.models.Param;
import io.geocont.models.NormKind;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

/** A pre-norm (RMSNorm or bias-free LayerNorm) with a gain, caching what its backward needs. */
public final class Norm {
    private final Backend be;
    private final NormKind kind;
    private final float eps;
    private final Param gamma;
    private final Tensor mean, rstd;
    private Tensor input;

    Norm(Backend be, NormKind kind, float eps, Param gamma, int rows) {
        this.be = be; this.kind = kind; this.eps = eps; this.gamma = gamma;
        this.rstd = be.zeros(rows);
        this.mean = kind == NormKind.LAYER ? be.zeros(rows) : null;
    }

    public Param gamma() { return gamma; }

    /** out = norm(x) * gamma; x must stay unchanged until {@link #backward}. */
    public void forward(Tensor x, Tensor out) {
        input = x;
        if (kind == NormKind.RMS) be.rmsNormForward(x, gamma.value(), eps, out, rstd);
        else be.layerNormForward(x, gamma.value(), null, eps, out, mean, rstd);
    }

    /** dx from dOut; accumulates the gain's gradient. */
    public void backward(Tensor dOut, Tensor dx) {
        if (kind == NormKind.RMS) be.rmsNormBackward(dOut, input, gamma.value(), rstd, dx, gamma.grad());
        else be.layerNormBackward(dOut, input, gamma.value(), mean, rstd, dx, gamma.grad(), null);
    }

    /** Frees this norm's per-row statistics (its gain is one of the model's parameters). */
    void close() {
        rstd.close();
        if (mean != null) mean.close();
    }
}
