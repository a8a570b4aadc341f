package io.geocont.cli;

import io.geocont.experiments.MlpGrid;
import io.geocont.experiments.Scale;
import io.geocont.train.OptimizerKind;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The options that pick a toy-MLP grid (shared by sweep and the reproduce targets; a picocli mixin). */
public final class GridOptions {
    @Option(names = "--scale", defaultValue = "quick",
            description = "quick (d=128, L=12, 10 epochs, 3 seeds; CPU) or paper (d=256, L=16, 20 epochs, 3 seeds; GPU) [O] (default: ${DEFAULT-VALUE}).")
    String scale = "quick";

    @Option(names = "--optimizer", defaultValue = "sgd",
            description = "sgd (science.md section 5: momentum 0.9, lr 0.05, clip 5) or adamw (lr 1e-3, wd 0.01, clip 5) (default: ${DEFAULT-VALUE}).")
    String optimizer = "sgd";

    @Option(names = "--seeds", description = "Seeds per variant (default: the scale's, 3).")
    Integer seeds;

    @Option(names = "--epochs", description = "Epochs per run (default: the scale's).")
    Integer epochs;

    @Option(names = "--width", description = "Hidden width d (default: the scale's).")
    Integer width;

    @Option(names = "--depth", description = "Hidden blocks L (default: the scale's).")
    Integer depth;

    @Option(names = "--variants", split = ",", paramLabel = "V,V,...",
            description = "Variants to run, e.g. res-relu,res-none-ln,nores-relu-kaiming (default: the target's list).")
    List<String> variants;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST/Fashion-MNIST IDX folder (default: the embedded 10,000 digits).")
    Path data;

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N", description = "Use only the first N training samples (0 = all; for smoke tests).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N", description = "Use only the first N test samples (0 = all).")
    int limitTest;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder, one sub-folder per run (default: geocont-out/mlp-<scale>-<optimizer>).")
    Path out;

    @Option(names = "--quiet", description = "Only one progress line per run (no per-epoch lines).")
    boolean quiet;

    public MlpGrid grid(List<String> defaultVariants) {
        Scale sc = Scale.parse(scale);
        return new MlpGrid(sc, OptimizerKind.parse(optimizer), variants == null || variants.isEmpty() ? defaultVariants : variants,
                seeds != null ? seeds : sc.seeds, width != null ? width : sc.width, depth != null ? depth : sc.depth,
                epochs != null ? epochs : sc.epochs, data, limitTrain, limitTest, MlpGrid.DEFAULT_TOP_K);
    }

    public Path out() {
        return out != null ? out : Path.of("geocont-out", "mlp-" + Scale.parse(scale).cliName() + "-" + OptimizerKind.parse(optimizer).cliName());
    }

    /** "sgd, quick" for figure titles. */
    public String tag() {
        return OptimizerKind.parse(optimizer).cliName() + ", " + Scale.parse(scale).cliName();
    }
}
