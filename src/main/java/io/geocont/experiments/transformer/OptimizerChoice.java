package io.geocont.experiments.transformer;

import java.util.Locale;

/** The transformer's optimizers: AdamW (the default, science.md section 5) or SGD with momentum. */
public enum OptimizerChoice {
    ADAMW, SGD;

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static OptimizerChoice parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "adamw", "adam" -> ADAMW;
            case "sgd", "momentum" -> SGD;
            default -> throw new IllegalArgumentException("unknown optimizer '" + s + "' (expected adamw or sgd)");
        };
    }
}
