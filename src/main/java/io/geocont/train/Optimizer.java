package io.geocont.train;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.models.Param;

import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum or AdamW over a fixed parameter list, with optional global gradient-norm
 * clipping (one scale for all gradients, so it stays rotation-equivariant). The state tensors
 * (velocity, or Adam's m and v) and the step count are exposed for checkpoints.
 */
public final class Optimizer implements AutoCloseable {
    private final Backend be;
    private final TrainConfig cfg;
    private final List<Param> params;
    private final List<Tensor> state = new ArrayList<>();   // SGD: one per param; AdamW: m then v per param
    private int step;
    private double lastGradNorm;

    private final long totalSteps;

    /** An optimizer with a constant learning rate (the schedule needs {@code totalSteps}). */
    public Optimizer(Backend be, TrainConfig cfg, List<Param> params) { this(be, cfg, params, 0); }

    /** {@code totalSteps}: steps of the whole run, which the learning-rate schedule spans. */
    public Optimizer(Backend be, TrainConfig cfg, List<Param> params, long totalSteps) {
        this.totalSteps = totalSteps;
        this.be = be;
        this.cfg = cfg;
        this.params = List.copyOf(params);
        int per = cfg.optimizer() == OptimizerKind.SGD ? 1 : 2;
        for (Param p : this.params)
            for (int i = 0; i < per; i++) state.add(be.zeros(p.value().shape()));
    }

    /** Global L2 norm of every gradient, accumulated in float64. */
    public double gradNorm() {
        double s = 0;
        for (Param p : params) s += be.sumSquares(p.grad());
        return Math.sqrt(s);
    }

    /** One update from the current gradients; returns the gradient norm before clipping. */
    public double step() {
        double norm = gradNorm();
        float scale = 1f;
        if (cfg.clipNorm() > 0 && norm > cfg.clipNorm()) scale = (float) (cfg.clipNorm() / (norm + 1e-6));
        if (!Double.isFinite(norm))
            throw new ArithmeticException("gradient norm is " + norm + " at step " + (step + 1)
                    + ": training diverged (lower the learning rate or turn on clipping)");
        step++;
        float lr = cfg.schedule().rate(cfg.lr(), step, totalSteps);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float wd = p.decay() ? cfg.weightDecay() : 0f;
            if (cfg.optimizer() == OptimizerKind.SGD) {
                be.sgdMomentumUpdate(p.value(), p.grad(), state.get(i), lr, cfg.momentum(), wd, scale);
            } else {
                be.adamwUpdate(p.value(), p.grad(), state.get(2 * i), state.get(2 * i + 1), lr,
                        cfg.adamBeta1(), cfg.adamBeta2(), cfg.adamEps(), wd, step, scale);
            }
        }
        lastGradNorm = norm;
        return norm;
    }

    public double lastGradNorm() { return lastGradNorm; }

    /** State tensors in a fixed order (for checkpoints). */
    public List<Tensor> stateTensors() { return List.copyOf(state); }

    public int stepCount() { return step; }

    public void setStepCount(int s) { step = s; }

    @Override public void close() { for (Tensor t : state) t.close(); }
}
