package io.geocont.models.mlp;

import java.util.Locale;

/**
 * Weight initialization. PYTORCH: nn.Linear's default, W and b uniform in +-1/sqrt(fan_in).
 * KAIMING: W ~ N(0, 2/fan_in) (He, variance-preserving for ReLU) for the input and hidden
 * layers, zero biases; the readout keeps the PyTorch default. Gains 1, norm biases 0 in both.
 */
public enum InitKind {
    PYTORCH, KAIMING;

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static InitKind parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "pytorch", "default", "torch", "uniform" -> PYTORCH;
            case "kaiming", "he" -> KAIMING;
            default -> throw new IllegalArgumentException("unknown init '" + s + "' (expected pytorch, kaiming)");
        };
    }
}
