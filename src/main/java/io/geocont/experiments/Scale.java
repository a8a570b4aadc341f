package io.geocont.experiments;

import java.util.Locale;

/**
 * The two sizes of the toy-MLP grid [O]: QUICK (d=128, L=12, 10 epochs; CPU minutes) and PAPER
 * (d=256, L=16, 20 epochs; meant for a GPU). Both use 3 seeds.
 */
public enum Scale {
    QUICK(128, 12, 10, 3), PAPER(256, 16, 20, 3);

    public final int width, depth, epochs, seeds;

    Scale(int width, int depth, int epochs, int seeds) {
        this.width = width;
        this.depth = depth;
        this.epochs = epochs;
        this.seeds = seeds;
    }

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static Scale parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "quick" -> QUICK;
            case "paper" -> PAPER;
            default -> throw new IllegalArgumentException("unknown scale '" + s + "' (expected quick, paper)");
        };
    }
}
