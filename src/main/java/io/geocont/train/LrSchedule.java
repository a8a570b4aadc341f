package io.geocont.train;

import java.util.Locale;

/**
 * Learning rate over the run. CONSTANT is science.md section 5's setting; COSINE [O] decays the
 * rate from lr to 0 along a half cosine over all steps, which steadies the late epochs of
 * high-lr SGD runs without changing how far the weights travel early on.
 */
public enum LrSchedule {
    CONSTANT, COSINE;

    /** The rate for step {@code step} (1-based) of {@code totalSteps}. */
    public float rate(float lr, int step, long totalSteps) {
        if (this == CONSTANT || totalSteps <= 0) return lr;
        double t = Math.min(1.0, (step - 1) / (double) totalSteps);
        return (float) (lr * 0.5 * (1 + Math.cos(Math.PI * t)));
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
