package io.geocont.train;

import java.util.Locale;

/**
 * Learning rate over the run, after an optional linear warm-up. CONSTANT is science.md section
 * 5's MLP setting; COSINE decays along a half cosine from lr (the first step after warm-up) to
 * a floor (the MLP's [O] option uses floor 0, the transformer 10% of lr), which steadies the
 * late steps without changing how far the weights travel early on.
 */
public enum LrSchedule {
    CONSTANT, COSINE;

    /** The rate for step {@code step} (1-based) of {@code totalSteps}, no warm-up, floor 0. */
    public float rate(float lr, int step, long totalSteps) {
        return rate(lr, step, totalSteps, 0, 0);
    }

    /**
     * The rate for step {@code step} (1-based) of {@code totalSteps}: lr * step / warmup during
     * the warm-up, then this schedule from lr to {@code minFraction * lr}.
     */
    public float rate(double lr, int step, long totalSteps, int warmup, double minFraction) {
        if (warmup > 0 && step <= warmup) return (float) (lr * step / warmup);
        if (this == CONSTANT || totalSteps <= warmup) return (float) lr;
        double t = Math.min(1.0, (step - 1 - warmup) / (double) (totalSteps - warmup));
        double floor = minFraction * lr;
        return (float) (floor + (lr - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static LrSchedule parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "constant", "none", "const" -> CONSTANT;
            case "cosine", "cos" -> COSINE;
            default -> throw new IllegalArgumentException("unknown lr schedule '" + s + "' (expected constant, cosine)");
        };
    }
}
