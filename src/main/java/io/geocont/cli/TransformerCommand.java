package io.geocont.cli;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.data.TextCorpus;
import io.geocont.experiments.transformer.Fig3Output;
import io.geocont.train.LrSchedule;
import io.geocont.train.OptimizerConfig;
import io.geocont.train.OptimizerKind;
import io.geocont.train.TransformerProgress;
import io.geocont.train.TransformerRun;
import io.geocont.train.TransformerTrainConfig;
import io.geocont.models.NormKind;
import io.geocont.models.transformer.TransformerConfig;
import io.geocont.plot.Fig3Figures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code geocont transformer}: train the small Llama-style model and measure per-projection continuity. */
@Command(name = "transformer", mixinStandardHelpOptions = true,
        description = {"Train a small Llama-style transformer on byte-level text (embedded Brown corpus slice by default) and "
                + "measure v1/u1 continuity of Q, K, V, O, Gate, Up, Down every --eval-every steps (science.md section 4, E3; Fig. 3).",
                "Writes log.jsonl, checkpoint.bin, result.json, fig3.json and charts into --out."})
public final class TransformerCommand implements Callable<Integer> {
    @Mixin BackendOption backendOption = new BackendOption();

    @Option(names = "--d-model", defaultValue = "128", description = "Residual width (default ${DEFAULT-VALUE}).") int dModel;
    @Option(names = "--layers", defaultValue = "6", description = "Blocks (default ${DEFAULT-VALUE}).") int layers;
    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default ${DEFAULT-VALUE}).") int heads;
    @Option(names = "--d-ff", defaultValue = "512", description = "Gated-MLP hidden width (default ${DEFAULT-VALUE}).") int dFf;
    @Option(names = "--seq", defaultValue = "64", description = "Sequence length (default ${DEFAULT-VALUE}).") int seq;
    @Option(names = "--batch", defaultValue = "32", description = "Sequences per step (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--steps", defaultValue = "1500", description = "Optimizer steps (default ${DEFAULT-VALUE}).") int steps;
    @Option(names = "--optimizer", defaultValue = "adamw", paramLabel = "adamw|sgd",
            description = "adamw (decoupled decay; --beta1/--beta2/--adam-eps) or sgd (momentum) (default ${DEFAULT-VALUE}).") String optimizer;
    @Option(names = "--lr", description = "Peak learning rate (default 1e-3 for adamw, 0.1 for sgd).") Double lr;
    @Option(names = "--warmup", description = "Linear warm-up steps (default steps/20).") Integer warmup;
    @Option(names = "--min-lr-fraction", defaultValue = "0.1", description = "Cosine decays to this fraction of --lr (default ${DEFAULT-VALUE}).") double minLrFraction;
    @Option(names = "--weight-decay", description = "Decay on matrices, not on norm gains (default 0.1 for adamw, 0 for sgd).") Double weightDecay;
    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip, 0 = off (default ${DEFAULT-VALUE}).") double clip;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).") double momentum;
    @Option(names = "--beta1", defaultValue = "0.9", description = "AdamW beta1 (default ${DEFAULT-VALUE}).") double beta1;
    @Option(names = "--beta2", defaultValue = "0.95", description = "AdamW beta2 (default ${DEFAULT-VALUE}).") double beta2;
    @Option(names = "--adam-eps", defaultValue = "1e-8", description = "AdamW epsilon (default ${DEFAULT-VALUE}).") double adamEps;
    @Option(names = "--eval-every", defaultValue = "250", description = "Continuity and validation loss every N steps (default ${DEFAULT-VALUE}).") int evalEvery;
    @Option(names = "--eval-batches", defaultValue = "4", description = "Held-out batches per validation loss (default ${DEFAULT-VALUE}).") int evalBatches;
    @Option(names = "--log-every", defaultValue = "10", description = "Progress line every N steps (default ${DEFAULT-VALUE}).") int logEvery;
    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Checkpoint every N steps (default ${DEFAULT-VALUE}).") int checkpointEvery;
    @Option(names = "--text", paramLabel = "FILE", description = "Any UTF-8 text (.gz allowed); default: the embedded Brown corpus slice.") Path text;
    @Option(names = "--val-fraction", defaultValue = "0.05", description = "Held-out tail of the text (default ${DEFAULT-VALUE}).") double valFraction;
    @Option(names = "--out", defaultValue = "geocont-out/transformer", description = "Output folder (default ${DEFAULT-VALUE}).") Path out;
    @Option(names = "--seed", defaultValue = "1", description = "Init and data seed (default ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--resume", description = "Continue from --out/checkpoint.bin when it exists (same settings required).") boolean resume;
    @Option(names = "--stop-at", description = "Stop (with a checkpoint) after this many steps; the schedule still spans --steps.") Integer stopAt;
    @Option(names = "--init-std", defaultValue = "0.02", description = "Std of the N(0, s^2) init (default ${DEFAULT-VALUE}).") double initStd;
    @Option(names = "--no-residual", description = "Ablation: drop both residual connections of every block.") boolean noResidual;
    @Option(names = "--mlp-activation", defaultValue = "silu", paramLabel = "silu|gelu|none|radial-tanh",
            description = "Gate activation (default ${DEFAULT-VALUE} = SwiGLU; none = bilinear; radial-tanh = rotation-preserving).") String mlpActivation;
    @Option(names = "--norm", defaultValue = "rms", paramLabel = "rms|ln", description = "Pre-norm: RMSNorm or bias-free LayerNorm (rmsnorm, layernorm accepted too) (default ${DEFAULT-VALUE}).") String norm;

    @Override public Integer call() throws Exception {
        OptimizerKind opt = OptimizerKind.parse(optimizer);
        TransformerConfig mc = new TransformerConfig(TextCorpus.VOCAB, dModel, layers, heads, dFf, seq, batch, !noResidual,
                Activation.parse(mlpActivation), NormKind.parse(norm), initStd, 10000, 1e-5);
        boolean adamw = opt == OptimizerKind.ADAMW;
        OptimizerConfig oc = new OptimizerConfig(opt, lr != null ? lr : adamw ? 1e-3 : 0.1, (float) momentum,
                (float) (weightDecay != null ? weightDecay : adamw ? 0.1 : 0.0), (float) clip, (float) beta1, (float) beta2, (float) adamEps,
                LrSchedule.COSINE, warmup != null ? warmup : Math.max(1, steps / 20), minLrFraction);
        TransformerTrainConfig tc = new TransformerTrainConfig(steps, oc, evalEvery, evalBatches, seed, valFraction, logEvery, checkpointEvery);
        if (stopAt != null && stopAt < 1) throw new IllegalArgumentException("--stop-at must be >= 1, got " + stopAt);
        TextCorpus corpus = text == null ? TextCorpus.embedded(valFraction) : TextCorpus.file(text, valFraction);
        int end = stopAt == null ? steps : stopAt;
        return StopSignalled.run("transformer", "run the same command with --resume to continue from there", stop -> {
            try (Backend be = backendOption.open()) {
                runAndReport(be, mc, tc, corpus, out, resume, end, stop);
            }
        });
    }

    /**
     * The paper's expected pattern, checked plainly: readers (q, k, gate, up) higher on v1 than u1,
     * writers (o, down) higher on u1 than v1, and v's best side the lowest of all projections.
     */
    static String splitVerdict(java.util.Map<String, io.geocont.train.ProjectionStats> ps) {
        StringBuilder sb = new StringBuilder("read/write split:");
        for (String n : java.util.List.of("q", "k", "gate", "up"))
            sb.append(' ').append(n).append(ps.get(n).v1() > ps.get(n).u1() ? " v1>u1 yes;" : " v1>u1 NO;");
        for (String n : java.util.List.of("o", "down"))
            sb.append(' ').append(n).append(ps.get(n).u1() > ps.get(n).v1() ? " u1>v1 yes;" : " u1>v1 NO;");
        double vBest = Math.max(ps.get("v").v1(), ps.get("v").u1());
        boolean lowest = ps.values().stream().filter(p -> !p.name().equals("v")).allMatch(p -> Math.max(p.v1(), p.u1()) > vBest);
        return sb.append(" v lowest (max of v1, u1) ").append(lowest ? "yes" : "NO").toString();
    }

    /** Runs, writes fig3.json and the charts into {@code out}, prints the table; shared with reproduce fig3. */
    static TransformerRun.Result runAndReport(Backend be, TransformerConfig mc, TransformerTrainConfig tc, TextCorpus corpus,
                                              Path out, boolean resume, int stopAt, io.geocont.train.StopFlag stop) throws java.io.IOException {
        TransformerRun.Result r = new TransformerRun(be, mc, tc, corpus, out, new TransformerProgress.Printing(System.err)).run(resume, stopAt, stop);
        Fig3Output.write(r, out);
        Fig3Figures.write(r, out);
        System.out.printf(Locale.ROOT, "steps %d%s, val loss %.4f nats (train %.4f); unigram byte entropy %.4f nats = %.4f bits%n",
                r.steps(), r.finished() ? "" : " (stopped early)", r.valLoss(), r.trainLoss(), r.unigramEntropyNats(),
                r.unigramEntropyNats() / Math.log(2));
        System.out.println("projection   v1     u1   | base v1 base u1 | s2wa-v s2wa-u erank | cos(v1,mean in) cos(u1,mean out) | move");
        for (var p : r.projections().values())
            System.out.printf(Locale.ROOT, "%-8s  %.3f  %.3f  |  %.3f   %.3f  | %.3f  %.3f  %6.1f |     %.3f           %.3f        | %.2f%n",
                    p.name(), p.v1(), p.u1(), p.baselineV1(), p.baselineU1(), p.s2waV(), p.s2waU(), p.erank(),
                    p.meanInputCosMean(), p.meanOutputCosMean(), p.moveRatioMean());
        System.out.println(splitVerdict(r.projections()));
        System.out.println("wrote " + out.resolve("fig3.json") + ", fig3.png/.svg, fig3_v1_vs_step, fig3_u1_vs_step, result.json, log.jsonl");
        return r;
    }
}
