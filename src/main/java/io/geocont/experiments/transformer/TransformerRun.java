package io.geocont.experiments.transformer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.io.AtomicFiles;
import io.geocont.models.transformer.Param;
import io.geocont.models.transformer.TransformerConfig;
import io.geocont.models.transformer.TransformerModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the transformer on a byte-level text and measures per-projection continuity every
 * {@code evalEvery} steps. Writes, under the output folder: {@code log.jsonl} (train and eval
 * records), {@code checkpoint.bin} (atomic; a rerun with {@code resume} continues from it and
 * gives bitwise the same result on the CPU as an uninterrupted run) and {@code result.json}.
 */
public final class TransformerRun {
    private static final ObjectMapper JSON = AtomicFiles.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT); // one record per line, NaN as null

    /** The outcome: the settings, the last eval record and every eval record. */
    public record Result(Map<String, Object> settings, int steps, double valLoss, double trainLoss,
                         double unigramEntropyNats, Map<String, ProjectionStats> projections,
                         List<Map<String, Object>> evals, double secondsPerStep, boolean finished) { }

    private final Backend be;
    private final TransformerConfig mc;
    private final TransformerTrainConfig tc;
    private final TextCorpus corpus;
    private final Path out;
    private final PrintStream progress;

    public TransformerRun(Backend be, TransformerConfig mc, TransformerTrainConfig tc, TextCorpus corpus, Path out, PrintStream progress) {
        this.be = be; this.mc = mc; this.tc = tc; this.corpus = corpus; this.out = out; this.progress = progress;
        if (mc.vocab() != TextCorpus.VOCAB) throw new IllegalArgumentException("the byte tokenizer needs vocab 256, got " + mc.vocab());
        corpus.requireWindows(mc.seq());
    }

    /** Everything that defines the run (a checkpoint is only resumed under the same settings). */
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", Map.ofEntries(
                Map.entry("vocab", mc.vocab()), Map.entry("d_model", mc.dModel()), Map.entry("layers", mc.layers()),
                Map.entry("heads", mc.heads()), Map.entry("d_ff", mc.dFf()), Map.entry("seq", mc.seq()),
                Map.entry("batch", mc.batch()), Map.entry("residual", mc.residual()),
                Map.entry("mlp_activation", mc.mlpActivation().cliName()), Map.entry("norm", mc.norm().cliName()),
                Map.entry("init_std", mc.initStd()), Map.entry("rope_theta", mc.ropeTheta()), Map.entry("norm_eps", mc.normEps()),
                Map.entry("parameters", mc.parameterCount())));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("steps", tc.steps()); t.put("optimizer", tc.optimizer().cliName()); t.put("lr", tc.lr());
        t.put("warmup", tc.warmup()); t.put("min_lr_fraction", tc.minLrFraction()); t.put("weight_decay", tc.weightDecay());
        t.put("clip", tc.clip()); t.put("momentum", tc.momentum());
        if (tc.optimizer() == OptimizerChoice.ADAMW) { t.put("beta1", 0.9); t.put("beta2", 0.95); t.put("adam_eps", 1e-8); }
        t.put("eval_every", tc.evalEvery()); t.put("eval_batches", tc.evalBatches()); t.put("seed", tc.seed());
        t.put("val_fraction", tc.valFraction());
        s.put("train", t);
        s.put("text", Map.of("source", corpus.source(), "bytes", corpus.size(), "tokenizer", "bytes (vocab 256)"));
        s.put("backend", be.name());
        return s;
    }

    /**
     * Runs until {@code stopAt} steps are done (at most {@code tc.steps()}; smaller values stop
     * early with a checkpoint, for time-limited jobs and tests).
     */
    public Result run(boolean resume, int stopAt) throws IOException {
        int end = Math.min(stopAt, tc.steps());
        Files.createDirectories(out);
        Path ckpt = out.resolve("checkpoint.bin"), log = out.resolve("log.jsonl");
        Map<String, Object> settings = settings();
        String settingsJson = JSON.writeValueAsString(settings);

        TransformerModel model = new TransformerModel(be, mc, tc.seed());
        ProjectionMetrics metrics = new ProjectionMetrics(model);
        List<Param> params = model.params();
        List<Tensor> state = new ArrayList<>();
        for (Param p : params) {
            state.add(be.zeros(p.value().shape()));
            if (tc.optimizer() == OptimizerChoice.ADAMW) state.add(be.zeros(p.value().shape()));
        }
        List<Tensor> saved = new ArrayList<>();
        for (Param p : params) saved.add(p.value());
        saved.addAll(state);

        List<Map<String, Object>> records = new ArrayList<>();
        int step = 0;
        if (resume && Files.exists(ckpt)) {
            Map<String, Object> header = TransformerCheckpoint.header(ckpt);
            if (!settingsJson.equals(header.get("settings")))
                throw new IllegalArgumentException("checkpoint " + ckpt + " was written with other settings; use another --out or drop --resume.\n  checkpoint: "
                        + header.get("settings") + "\n  now:        " + settingsJson);
            header = TransformerCheckpoint.read(ckpt, saved);
            step = ((Number) header.get("step")).intValue();
            @SuppressWarnings("unchecked") List<Map<String, Object>> old = (List<Map<String, Object>>) header.get("records");
            records.addAll(old);
            StringBuilder sb = new StringBuilder();
            for (Map<String, Object> r : records) sb.append(JSON.writeValueAsString(r)).append('\n');
            AtomicFiles.writeString(log, sb.toString());
            progress.printf(Locale.ROOT, "transformer: resumed from %s at step %d%n", ckpt, step);
        } else {
            Files.deleteIfExists(log);
        }

        double unigram = corpus.unigramEntropyNats();
        if (step == 0) {
            progress.printf(Locale.ROOT, "transformer: %,d parameters, %s, text %s (%,d bytes; train %,d, held-out %,d)%n",
                    mc.parameterCount(), be.description(), corpus.source(), corpus.size(), corpus.trainSize(), corpus.validationSize());
            progress.printf(Locale.ROOT, "transformer: unigram byte entropy of the training text = %.4f nats = %.4f bits%n",
                    unigram, unigram / Math.log(2));
        }

        int rows = mc.rows();
        float[] tok = new float[rows], tgt = new float[rows];
        Tensor tokens = be.zeros(rows), targets = be.zeros(rows);
        Map<String, ProjectionStats> last = null;
        double lastVal = Double.NaN, sinceEvalLoss = 0;
        int sinceEvalSteps = 0, lastEvalStep = -1;
        if (step == 0) {
            var ev = evaluate(model, metrics, tokens, targets, tok, tgt);
            last = ev.stats; lastVal = ev.valLoss; lastEvalStep = 0;
            append(log, records, evalRecord(0, ev.valLoss, Double.NaN, ev.stats));
            progress.printf(Locale.ROOT, "transformer: step 0 val loss %.4f%n", ev.valLoss);
        }
        long t0 = System.nanoTime();
        int firstStep = step;
        double lastTrain = Double.NaN;
        while (step < end) {
            corpus.trainBatch(tc.seed(), step, mc.batch(), mc.seq(), tok, tgt);
            tokens.copyFrom(tok);
            targets.copyFrom(tgt);
            double loss = model.forward(tokens, targets);
            model.backward();
            double lr = tc.lrAt(step + 1);
            double gradNorm = update(params, state, lr, step + 1);
            step++;
            lastTrain = loss;
            sinceEvalLoss += loss; sinceEvalSteps++;
            if (!Double.isFinite(loss)) throw new IllegalStateException("training diverged: loss " + loss + " at step " + step);
            double secs = (System.nanoTime() - t0) / 1e9, perStep = secs / (step - firstStep);
            if (step % tc.logEvery() == 0 || step == end) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("type", "train"); r.put("step", step); r.put("loss", loss); r.put("lr", lr); r.put("grad_norm", gradNorm);
                r.put("tokens_per_s", rows / perStep); r.put("elapsed_s", secs);
                append(log, records, r);
                progress.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  |g| %.3f  %,.0f tok/s  %.2f s/step  ETA %s%n",
                        step, end, loss, lr, gradNorm, rows / perStep, perStep, eta(perStep * (end - step)));
            }
            if (step % tc.evalEvery() == 0 || step == tc.steps()) {
                long e0 = System.nanoTime();
                var ev = evaluate(model, metrics, tokens, targets, tok, tgt);
                progress.printf(Locale.ROOT, "transformer: evaluation took %.1f s%n", (System.nanoTime() - e0) / 1e9);
                last = ev.stats; lastVal = ev.valLoss; lastEvalStep = step;
                append(log, records, evalRecord(step, ev.valLoss, sinceEvalLoss / sinceEvalSteps, ev.stats));
                progress.printf(Locale.ROOT, "transformer: step %d val loss %.4f  %s%n", step, ev.valLoss, summary(ev.stats));
                sinceEvalLoss = 0; sinceEvalSteps = 0;
            }
            if (step % tc.checkpointEvery() == 0 || step == end) {
                Map<String, Object> header = new LinkedHashMap<>();
                header.put("settings", settingsJson); header.put("step", step); header.put("records", records);
                TransformerCheckpoint.write(ckpt, header, saved);
            }
        }
        if (lastEvalStep != step) { // resumed exactly at the end, or stopped between evals: measure now
            var ev = evaluate(model, metrics, tokens, targets, tok, tgt);
            last = ev.stats; lastVal = ev.valLoss;
        }
        double perStep = step > firstStep ? (System.nanoTime() - t0) / 1e9 / (step - firstStep) : Double.NaN;
        Result res = new Result(settings, step, lastVal, lastTrain, unigram, last, evalsOf(records), perStep, step == tc.steps());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("settings", settings); summary.put("steps", step); summary.put("finished", res.finished());
        summary.put("val_loss", lastVal); summary.put("train_loss", lastTrain);
        summary.put("unigram_entropy_nats", unigram); summary.put("unigram_entropy_bits", unigram / Math.log(2));
        summary.put("seconds_per_step", perStep); summary.put("projections", last);
        AtomicFiles.writeJson(out.resolve("result.json"), summary);
        return res;
    }

    /** Optimizer step with global-norm clipping; returns the gradient norm before clipping. */
    private double update(List<Param> params, List<Tensor> state, double lr, int step) {
        double sq = 0;
        for (Param p : params) sq += be.sumSquares(p.grad());
        double norm = Math.sqrt(sq);
        float scale = tc.clip() > 0 && norm > tc.clip() ? (float) (tc.clip() / norm) : 1f;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float wd = p.matrix() ? (float) tc.weightDecay() : 0f;
            if (tc.optimizer() == OptimizerChoice.ADAMW)
                be.adamwUpdate(p.value(), p.grad(), state.get(2 * i), state.get(2 * i + 1), (float) lr, 0.9f, 0.95f, 1e-8f, wd, step, scale);
            else
                be.sgdMomentumUpdate(p.value(), p.grad(), state.get(i), (float) lr, (float) tc.momentum(), wd, scale);
        }
        return norm;
    }

    private record Eval(double valLoss, Map<String, ProjectionStats> stats) { }

    /** Validation loss over the held-out batches, batch 0 last so its activations feed the diagnostic. */
    private Eval evaluate(TransformerModel model, ProjectionMetrics metrics, Tensor tokens, Tensor targets, float[] tok, float[] tgt) {
        double sum = 0;
        for (int j = tc.evalBatches() - 1; j >= 0; j--) {
            corpus.validationBatch(j, tc.evalBatches(), mc.batch(), mc.seq(), tok, tgt);
            tokens.copyFrom(tok);
            targets.copyFrom(tgt);
            sum += model.forward(tokens, targets);
        }
        return new Eval(sum / tc.evalBatches(), metrics.measure(model));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> evalRecord(int step, double valLoss, double trainLoss, Map<String, ProjectionStats> stats) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "eval"); r.put("step", step); r.put("val_loss", valLoss);
        r.put("train_loss", Double.isNaN(trainLoss) ? null : trainLoss);
        r.put("projections", JSON.convertValue(stats, Map.class));
        return r;
    }

    private static List<Map<String, Object>> evalsOf(List<Map<String, Object>> records) {
        List<Map<String, Object>> e = new ArrayList<>();
        for (Map<String, Object> r : records) if ("eval".equals(r.get("type"))) e.add(r);
        return e;
    }

    private static void append(Path log, List<Map<String, Object>> records, Map<String, Object> r) throws IOException {
        records.add(r);
        Files.writeString(log, JSON.writeValueAsString(r) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String summary(Map<String, ProjectionStats> stats) {
        StringBuilder sb = new StringBuilder();
        for (ProjectionStats p : stats.values())
            sb.append(String.format(Locale.ROOT, "%s v1 %.3f u1 %.3f  ", p.name(), p.v1(), p.u1()));
        return sb.toString().trim();
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
