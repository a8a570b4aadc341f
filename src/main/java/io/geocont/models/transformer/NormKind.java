package io.geocont.models.transformer;

import java.util.Locale;

/** Which pre-norm the blocks use: RMSNorm (the Llama default) or LayerNorm (an ablation, no bias). */
public enum NormKind {
    RMS, LAYER;

    public String cliName() { return this == RMS ? "rmsnorm" : "layernorm"; }

    public static NormKind parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "rms", "rmsnorm" -> RMS;
            case "layer", "layernorm", "ln" -> LAYER;
            default -> throw new IllegalArgumentException("unknown norm '" + s + "' (expected rmsnorm or layernorm)");
        };
    }
}
