package io.geocont.cli;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.data.TextCorpus;
import io.geocont.train.OptimizerKind;
import io.geocont.train.TransformerTrainConfig;
import io.geocont.models.NormKind;
import io.geocont.models.transformer.TransformerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code geocont reproduce fig3}: per-projection v1/u1 continuity of the small transformer.
 * quick (CPU): d 128, 6 layers, 4 heads, d_ff 512, seq 64, batch 32, 1,500 steps.
 * paper (GPU): d 256, 8 layers, 4 heads, d_ff 1024, seq 128, batch 128, 10,000 steps.
 */
@Command(name = "fig3", mixinStandardHelpOptions = true,
        description = "Fig. 3: v1/u1 continuity of Q, K, V, O, Gate, Up, Down in a small Llama-style transformer "
                + "(AdamW, science.md section 5 setting), with the mean-direction diagnostic.")
public final class ReproduceFig3Command implements Callable<Integer> {
    @Mixin BackendOption backendOption = new BackendOption();

    @Option(names = "--scale", defaultValue = "quick", paramLabel = "quick|paper", description = "quick (CPU) or paper (GPU) (default ${DEFAULT-VALUE}).")
    String scale;
    @Option(names = "--steps", description = "Override the scale's step count.") Integer steps;
    @Option(names = "--optimizer", defaultValue = "adamw", paramLabel = "adamw|sgd", description = "Optimizer (default ${DEFAULT-VALUE}; sgd uses lr 0.1).") String optimizer;
    @Option(names = "--text", paramLabel = "FILE", description = "Any UTF-8 text; default: the embedded Brown corpus slice.") Path text;
    @Option(names = "--out", defaultValue = "geocont-out/fig3", description = "Output folder (default ${DEFAULT-VALUE}).") Path out;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--resume", description = "Continue from --out/checkpoint.bin when it exists.") boolean resume;

    @Override public Integer call() throws Exception {
        boolean paper = switch (scale.toLowerCase(Locale.ROOT)) {
            case "quick" -> false;
            case "paper" -> true;
            default -> throw new IllegalArgumentException("unknown --scale '" + scale + "' (expected quick or paper)");
        };
        int n = steps != null ? steps : paper ? 10_000 : 1_500;
        TransformerConfig mc = paper
                ? new TransformerConfig(TextCorpus.VOCAB, 256, 8, 4, 1024, 128, 128, true, Activation.SILU, NormKind.RMS, 0.02, 10000, 1e-5)
                : new TransformerConfig(TextCorpus.VOCAB, 128, 6, 4, 512, 64, 32, true, Activation.SILU, NormKind.RMS, 0.02, 10000, 1e-5);
        OptimizerKind opt = OptimizerKind.parse(optimizer);
        int warmup = Math.max(1, n / 20);
        TransformerTrainConfig tc = new TransformerTrainConfig(n,
                opt == OptimizerKind.ADAMW ? TransformerTrainConfig.adamw(1e-3, 0.1, 1.0, warmup) : TransformerTrainConfig.sgd(0.1, 0.9, 0.0, 1.0, warmup),
                Math.max(1, n / (paper ? 20 : 6)), 4, seed, 0.05, 10, paper ? 500 : 100);
        TextCorpus corpus = text == null ? TextCorpus.embedded(0.05) : TextCorpus.file(text, 0.05);
        return StopSignalled.run("reproduce fig3", "run the same command with --resume to continue from there", stop -> {
            try (Backend be = backendOption.open()) {
                TransformerCommand.runAndReport(be, mc, tc, corpus, out, resume, n, stop);
            }
        });
    }
}
