package io.geocont.train;

import java.util.Locale;

/** SGD with momentum (rotation-equivariant) or AdamW (per-coordinate scaling: not rotation-equivariant). */
public enum OptimizerKind {
    SGD, ADAMW;

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static OptimizerKind parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "sgd" -> SGD;
            case "adamw", "adam" -> ADAMW;
            default -> throw new IllegalArgumentException("unknown optimizer '" + s + "' (expected sgd, adamw)");
        };
    }
}
