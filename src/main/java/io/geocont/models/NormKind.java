package io.geocont.models;

import java.util.Locale;

/**
 * Normalization inside a block: none, LayerNorm, or RMSNorm (gain only). The MLP's LayerNorm has
 * a gain and a bias; the transformer's pre-norm LayerNorm has a gain only (Llama-style).
 */
public enum NormKind {
    NONE, LAYER, RMS;

    /** Suffix in variant names and CLI value: "none", "ln", "rms". */
    public String shortName() {
        return switch (this) { case NONE -> "none"; case LAYER -> "ln"; case RMS -> "rms"; };
    }

    public static NormKind parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "none", "no", "off" -> NONE;
            case "ln", "layer", "layernorm", "layer-norm" -> LAYER;
            case "rms", "rmsnorm", "rms-norm" -> RMS;
            default -> throw new IllegalArgumentException("unknown norm '" + s + "' (expected none, ln, rms)");
        };
    }
}
