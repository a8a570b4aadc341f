package io.geocont.train;

/**
 * How one optimizer updates a model, shared by the MLP and the transformer: SGD with momentum
 * (coupled weight decay) or AdamW (decoupled decay, betas and eps as given), one clipping rule
 * (global gradient norm, {@code clipNorm <= 0} = off), and the learning-rate schedule: an
 * optional linear warm-up of {@code warmup} steps, then {@code schedule} from {@code lr} down to
 * {@code minLrFraction * lr}. Weight decay applies to parameters marked for it (weight
 * matrices), never to biases and norm gains [O].
 */
public record OptimizerConfig(OptimizerKind kind, double lr, float momentum, float weightDecay, float clipNorm,
                              float beta1, float beta2, float eps, LrSchedule schedule, int warmup, double minLrFraction) {
    public OptimizerConfig {
        if (kind == null) throw new IllegalArgumentException("optimizer config: optimizer is required");
        if (schedule == null) schedule = LrSchedule.CONSTANT;
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("optimizer config: lr must be positive, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("optimizer config: momentum must lie in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("optimizer config: weight decay must be >= 0, got " + weightDecay);
        if (Float.isNaN(clipNorm)) throw new IllegalArgumentException("optimizer config: clip norm is NaN");
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0))
            throw new IllegalArgumentException("optimizer config: Adam betas must lie in [0, 1) and eps > 0, got "
                    + beta1 + ", " + beta2 + ", " + eps);
        if (warmup < 0) throw new IllegalArgumentException("optimizer config: warm-up must be >= 0 steps, got " + warmup);
        if (!(minLrFraction >= 0 && minLrFraction <= 1))
            throw new IllegalArgumentException("optimizer config: min lr fraction must lie in [0, 1], got " + minLrFraction);
    }

    /** The rate of 1-based step {@code step} of a run of {@code totalSteps} steps. */
    public float rate(int step, long totalSteps) {
        return schedule.rate(lr, step, totalSteps, warmup, minLrFraction);
    }
}
