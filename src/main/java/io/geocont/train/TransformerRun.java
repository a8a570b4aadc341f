package io.geocont.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.data.TextCorpus;
import io.geocont.io.AtomicFiles;
import io.geocont.models.Param;
import io.geocont.models.transformer.TransformerConfig;
import io.geocont.models.transformer.TransformerModel;
import io.geocont.monitor.ContinuityMonitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the transformer on a byte-level text and measures per-projection continuity every
 * {@code evalEvery} steps, with the training stack the MLP uses ({@link Optimizer},
 * {@link RunCheckpoint}, {@link RunLog}, {@link StopFlag}). Writes, under the output folder:
 * {@code log.jsonl} ("train" and "eval" lines), {@code checkpoint.bin} (atomic; a rerun with
 * {@code resume} continues from it and gives bitwise the same result on the CPU as an
 * uninterrupted run) and {@code result.json}.
 */
public final class TransformerRun {
    private static final ObjectMapper JSON = AtomicFiles.json();
    public static final String CHECKPOINT = "checkpoint.bin", RESULT = "result.json";

    /** The outcome: the settings, the last eval record and every eval record. */
    public record Result(Map<String, Object> settings, int steps, double valLoss, double trainLoss,
                         double unigramEntropyNats, Map<String, ProjectionStats> projections,
                         List<Map<String, Object>> evals, double secondsPerStep, boolean finished) { }

    /** The JSON state block of the run's checkpoint. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record State(@JsonProperty("settings") String settings,
                        @JsonProperty("step") int step,
                        @JsonProperty("records") List<Map<String, Object>> records,
                        @JsonProperty("monitors") Map<String, ContinuityMonitor.State> monitors) { }

    private final Backend be;
    private final TransformerConfig mc;
    private final TransformerTrainConfig tc;
    private final TextCorpus corpus;
    private final Path out;
    private final TransformerProgress progress;

    public TransformerRun(Backend be, TransformerConfig mc, TransformerTrainConfig tc, TextCorpus corpus, Path out,
                          TransformerProgress progress) {
        this.be = be; this.mc = mc; this.tc = tc; this.corpus = corpus; this.out = out;
        this.progress = progress == null ? TransformerProgress.NONE : progress;
        if (mc.vocab() != TextCorpus.VOCAB) throw new IllegalArgumentException("the byte tokenizer needs vocab 256, got " + mc.vocab());
        corpus.requireWindows(mc.seq());
    }

    /** Everything that defines the run (a checkpoint is only resumed under the same settings). */
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        // insertion-ordered (Map.ofEntries iterates in an order salted per JVM, so the JSON of the
        // same settings differed between the run and its resumption)
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocab", mc.vocab()); m.put("d_model", mc.dModel()); m.put("layers", mc.layers());
        m.put("heads", mc.heads()); m.put("d_ff", mc.dFf()); m.put("seq", mc.seq());
        m.put("batch", mc.batch()); m.put("residual", mc.residual());
        m.put("mlp_activation", mc.mlpActivation().cliName()); m.put("norm", mc.norm().shortName());
        m.put("init_std", mc.initStd()); m.put("rope_theta", mc.ropeTheta()); m.put("norm_eps", mc.normEps());
        m.put("parameters", mc.parameterCount());
        s.put("model", m);
        OptimizerConfig o = tc.optimizer();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("steps", tc.steps()); t.put("optimizer", o.kind().cliName()); t.put("lr", o.lr());
        t.put("lr_schedule", o.schedule().cliName()); t.put("warmup", o.warmup()); t.put("min_lr_fraction", o.minLrFraction());
        t.put("weight_decay", o.weightDecay()); t.put("clip", o.clipNorm()); t.put("momentum", o.momentum());
        if (o.kind() == OptimizerKind.ADAMW) { t.put("beta1", o.beta1()); t.put("beta2", o.beta2()); t.put("adam_eps", o.eps()); }
        t.put("eval_every", tc.evalEvery()); t.put("eval_batches", tc.evalBatches()); t.put("seed", tc.seed());
        t.put("val_fraction", tc.valFraction());
        s.put("train", t);
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("source", corpus.source()); text.put("bytes", corpus.size()); text.put("tokenizer", "bytes (vocab 256)");
        s.put("text", text);
        s.put("backend", be.name());
        return s;
    }

    /**
     * Runs until {@code stopAt} steps are done (at most {@code tc.steps()}; smaller values stop
     * early with a checkpoint, for time-limited jobs and tests).
     */
    public Result run(boolean resume, int stopAt) throws IOException {
        return run(resume, stopAt, null);
    }

    /**
     * As above; {@code stop} (may be null) is checked before every step: when raised, the run
     * writes its checkpoint at that step and throws {@link RunStoppedException} (resume continues there).
     */
    public Result run(boolean resume, int stopAt, StopFlag stop) throws IOException {
        int end = Math.min(stopAt, tc.steps());
        Files.createDirectories(out);
        Path ckpt = out.resolve(CHECKPOINT), log = out.resolve(RunLog.FILE);
        Map<String, Object> settings = settings();
        String settingsJson = JSON.copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(settings);

        try (TransformerModel model = new TransformerModel(be, mc, tc.seed());
             Optimizer opt = new Optimizer(be, tc.optimizer(), model.params(), tc.steps())) {
            List<Param> params = model.params();
            ProjectionMetrics metrics = new ProjectionMetrics();
            List<Map<String, Object>> records = new ArrayList<>();
            int step = 0;
            if (resume && Files.exists(ckpt)) {
                RunCheckpoint.Loaded<State> ck = RunCheckpoint.read(ckpt, State.class);
                if (!JSON.readTree(settingsJson).equals(JSON.readTree(ck.state().settings()))) // as JSON values: key order does not matter
                    throw new IllegalArgumentException("checkpoint " + ckpt + " was written with other settings; use another --out or drop --resume.\n  checkpoint: "
                            + ck.state().settings() + "\n  now:        " + settingsJson);
                for (Param p : params) p.value().copyFrom(ck.array(ckpt, "param:" + p.name(), p.value().size()));
                List<Tensor> os = opt.stateTensors();
                for (int i = 0; i < os.size(); i++) os.get(i).copyFrom(ck.array(ckpt, "opt:" + i, os.get(i).size()));
                step = ck.state().step();
                opt.setStepCount(step);
                metrics = ProjectionMetrics.restore(ck.state().monitors(), ck.arrays());
                records.addAll(ck.state().records());
                List<ObjectNode> lines = new ArrayList<>();
                for (Map<String, Object> r : records) lines.add(logLine(r));
                RunLog.rewrite(log, lines);
                progress.resumed(ckpt, step);
            } else {
                Files.deleteIfExists(log);
            }

            double unigram = corpus.unigramEntropyNats();
            if (step == 0)
                progress.started(mc.parameterCount(), be.description(), corpus.source(), corpus.size(), corpus.trainSize(),
                        corpus.validationSize(), unigram);

            int rows = mc.rows();
            float[] tok = new float[rows], tgt = new float[rows];
            try (Tensor tokens = be.zeros(rows); Tensor targets = be.zeros(rows)) {
                Map<String, ProjectionStats> last = null;
                double lastVal = Double.NaN, sinceEvalLoss = 0;
                int sinceEvalSteps = 0, lastEvalStep = -1;
                if (step == 0) {
                    long e0 = System.nanoTime();
                    Eval ev = evaluate(model, metrics, tokens, targets, tok, tgt);
                    last = ev.stats; lastVal = ev.valLoss; lastEvalStep = 0;
                    append(log, records, evalRecord(0, ev.valLoss, Double.NaN, ev.stats));
                    progress.evaluated(0, ev.valLoss, ev.stats, (System.nanoTime() - e0) / 1e9);
                }
                long t0 = System.nanoTime();
                int firstStep = step;
                double lastTrain = Double.NaN;
                while (step < end) {
                    if (stop != null && stop.requested()) {
                        save(ckpt, settingsJson, step, records, params, opt, metrics);
                        throw RunStoppedException.atStep("transformer", step, tc.steps(), stop.reason());
                    }
                    corpus.trainBatch(tc.seed(), step, mc.batch(), mc.seq(), tok, tgt);
                    tokens.copyFrom(tok);
                    targets.copyFrom(tgt);
                    double loss = model.forward(tokens, targets);
                    if (!Double.isFinite(loss)) throw new IllegalStateException("training diverged: loss " + loss + " at step " + (step + 1));
                    model.backward();
                    double gradNorm = opt.step();
                    double lr = opt.lastRate();
                    step++;
                    lastTrain = loss;
                    sinceEvalLoss += loss; sinceEvalSteps++;
                    double secs = (System.nanoTime() - t0) / 1e9, perStep = secs / (step - firstStep);
                    if (step % tc.logEvery() == 0 || step == end) {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("type", "train"); r.put("step", step); r.put("loss", loss); r.put("lr", lr); r.put("grad_norm", gradNorm);
                        r.put("clipped", opt.clips(gradNorm)); r.put("tokens_per_s", rows / perStep); r.put("elapsed_s", secs);
                        append(log, records, r);
                        progress.trained(step, end, loss, lr, gradNorm, rows / perStep, perStep, perStep * (end - step));
                    }
                    if (step % tc.evalEvery() == 0 || step == tc.steps()) {
                        long e0 = System.nanoTime();
                        Eval ev = evaluate(model, metrics, tokens, targets, tok, tgt);
                        last = ev.stats; lastVal = ev.valLoss; lastEvalStep = step;
                        append(log, records, evalRecord(step, ev.valLoss, sinceEvalLoss / sinceEvalSteps, ev.stats));
                        progress.evaluated(step, ev.valLoss, ev.stats, (System.nanoTime() - e0) / 1e9);
                        sinceEvalLoss = 0; sinceEvalSteps = 0;
                    }
                    if (step % tc.checkpointEvery() == 0 || step == end) save(ckpt, settingsJson, step, records, params, opt, metrics);
                }
                if (lastEvalStep != step) { // resumed exactly at the end, or stopped between evals: measure now (after the last checkpoint, so it is not kept)
                    Eval ev = evaluate(model, metrics, tokens, targets, tok, tgt);
                    last = ev.stats; lastVal = ev.valLoss;
                }
                double perStep = step > firstStep ? (System.nanoTime() - t0) / 1e9 / (step - firstStep) : Double.NaN;
                Result res = new Result(settings, step, lastVal, lastTrain, unigram, last, evalsOf(records), perStep, step == tc.steps());
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("settings", settings); summary.put("steps", step); summary.put("finished", res.finished());
                summary.put("val_loss", lastVal); summary.put("train_loss", lastTrain);
                summary.put("unigram_entropy_nats", unigram); summary.put("unigram_entropy_bits", unigram / Math.log(2));
                summary.put("seconds_per_step", perStep); summary.put("projections", last);
                AtomicFiles.writeJson(out.resolve(RESULT), summary);
                return res;
            }
        }
    }

    private static void save(Path ckpt, String settingsJson, int step, List<Map<String, Object>> records, List<Param> params,
                             Optimizer opt, ProjectionMetrics metrics) throws IOException {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (Param p : params)
            if (arrays.put("param:" + p.name(), p.value().toArray()) != null)
                throw new IllegalStateException("two parameters are named '" + p.name() + "'");
        List<Tensor> os = opt.stateTensors();
        for (int i = 0; i < os.size(); i++) arrays.put("opt:" + i, os.get(i).toArray());
        arrays.putAll(metrics.arrays());
        RunCheckpoint.write(ckpt, new State(settingsJson, step, List.copyOf(records), metrics.states()), arrays);
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

    private static ObjectNode logLine(Map<String, Object> r) {
        return RunLog.line((String) r.get("type"), ((Number) r.get("step")).longValue(), r);
    }

    private static void append(Path log, List<Map<String, Object>> records, Map<String, Object> r) throws IOException {
        records.add(r);
        RunLog.append(log, logLine(r));
    }
}
