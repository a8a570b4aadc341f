package io.geocont.train;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.models.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * The one optimizer step of geocont's training loops: SGD with momentum or AdamW over a fixed
 * parameter list, after global gradient-norm clipping (one scale for all gradients, so it stays
 * rotation-equivariant): when the norm exceeds the clip, every gradient is scaled by
 * clip / (norm + 1e-6). The state tensors (velocity, or Adam's m and v per parameter) and the
 * step count are exposed for checkpoints.
 */
public final class Optimizer implements AutoCloseable {
    private final Backend be;
    private final OptimizerConfig cfg;
    private final List<Param> params;
    private final List<Tensor> state = new ArrayList<>();   // SGD: one per param; AdamW: m then v per param
    private final long totalSteps;
    private int step;
    private double lastGradNorm;
    private float lastRate;

    /** {@code totalSteps}: steps of the whole run, which the learning-rate schedule spans. */
    public Optimizer(Backend be, OptimizerConfig cfg, List<Param> params, long totalSteps) {
        this.be = be;
        this.cfg = cfg;
        this.params = List.copyOf(params);
        this.totalSteps = totalSteps;
        int per = cfg.kind() == OptimizerKind.SGD ? 1 : 2;
        for (Param p : this.params)
            for (int i = 0; i < per; i++) state.add(be.zeros(p.value().shape()));
    }

    /** Global L2 norm of every gradient, accumulated in float64. */
    public double gradNorm() {
        double s = 0;
        for (Param p : params) s += be.sumSquares(p.grad());
        return Math.sqrt(s);
    }

    /** Whether a step whose gradient norm was {@code norm} was clipped. */
    public boolean clips(double norm) { return cfg.clipNorm() > 0 && norm > cfg.clipNorm(); }

    /** One update from the current gradients; returns the gradient norm before clipping. */
    public double step() {
        double norm = gradNorm();
        if (!Double.isFinite(norm))
            throw new ArithmeticException("gradient norm is " + norm + " at step " + (step + 1)
                    + ": training diverged (lower the learning rate or turn on clipping)");
        float scale = clips(norm) ? (float) (cfg.clipNorm() / (norm + 1e-6)) : 1f;
        step++;
        float lr = cfg.rate(step, totalSteps);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float wd = p.decay() ? cfg.weightDecay() : 0f;
            if (cfg.kind() == OptimizerKind.SGD) {
                be.sgdMomentumUpdate(p.value(), p.grad(), state.get(i), lr, cfg.momentum(), wd, scale);
            } else {
                be.adamwUpdate(p.value(), p.grad(), state.get(2 * i), state.get(2 * i + 1), lr,
                        cfg.beta1(), cfg.beta2(), cfg.eps(), wd, step, scale);
            }
        }
        lastGradNorm = norm;
        lastRate = lr;
        return norm;
    }

    public double lastGradNorm() { return lastGradNorm; }

    /** The learning rate of the last step. */
    public float lastRate() { return lastRate; }

    /** State tensors in a fixed order (for checkpoints). */
    public List<Tensor> stateTensors() { return List.copyOf(state); }

    public int stepCount() { return step; }

    public void setStepCount(int s) { step = s; }

    @Override public void close() { for (Tensor t : state) t.close(); }
}
