package io.geocont.train;

import io.geocont.util.SplitMix64;

import io.geocont.linalg.svd.Svds;
import io.geocont.monitor.ContinuityMonitor;
import io.geocont.monitor.ContinuityRecord;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.data.Split;
import io.geocont.io.AtomicFiles;
import io.geocont.models.Param;
import io.geocont.models.mlp.MlpConfig;
import io.geocont.models.mlp.MlpModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Trains one toy MLP and records the continuity metrics of its hidden layers (a
 * {@link ContinuityMonitor}, fed every step's gradients) at initialization and after every
 * epoch. A run folder holds log.jsonl ({@link RunLog}, one "epoch" line per record),
 * checkpoint.bin ({@link RunCheckpoint}: the state at the end of the last finished epoch) and
 * finally result.json. A run whose
 * result.json exists is returned as is; a run with a checkpoint resumes from it, and on the
 * CPU the resumed run is bitwise the same as an uninterrupted one. A {@link StopFlag} raised
 * during training stops the run after the step in progress, with a checkpoint of that point
 * (see {@link PartialEpoch}), and throws {@link RunStoppedException}.
 */
public final class MlpExperiment {
    public static final String LOG = RunLog.FILE, CHECKPOINT = "checkpoint.bin", RESULT = "result.json";
    /** Eval batch size: forward only, so larger than the training batch. */
    static final int EVAL_BATCH = 500;
    /** Salt that separates the shuffling stream from the initialization stream of a seed. */
    private static final long SHUFFLE_SALT = 0x5DEECE66DL;

    private MlpExperiment() { }

    public static MlpRunResult run(MlpRunSpec spec, Split data, Path runDir, Backend backend, ProgressListener progress)
            throws IOException {
        return run(spec, data, runDir, backend, progress, null);
    }

    /** As above; {@code stop} (may be null) is checked before every training step. */
    public static MlpRunResult run(MlpRunSpec spec, Split data, Path runDir, Backend backend, ProgressListener progress,
                                   StopFlag stop) throws IOException {
        if (progress == null) progress = ProgressListener.NONE;
        Path resultFile = runDir.resolve(RESULT);
        if (Files.isRegularFile(resultFile)) {
            MlpRunResult r = MlpRunResult.read(resultFile);
            String diff = configDifference(configMap(spec), r.config(), false);
            if (diff != null)
                throw new IllegalStateException(resultFile + " holds a finished run with other settings (" + diff
                        + "); choose another output folder or delete the run folder");
            progress.finished(spec, r, true);
            return r;
        }
        if (data.train().dim() != spec.model().inputDim())
            throw new IllegalArgumentException("data has " + data.train().dim() + " inputs per sample, the model expects "
                    + spec.model().inputDim());
        Files.createDirectories(runDir);
        try (Run run = new Run(spec, data, runDir, backend, progress, stop == null ? new StopFlag() : stop)) {
            return run.execute();
        }
    }

    /** The config block of result.json: the model and training settings, flattened. */
    public static Map<String, Object> configMap(MlpRunSpec spec) {
        MlpConfig m = spec.model();
        TrainConfig t = spec.effectiveTrain();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("input_dim", m.inputDim());
        c.put("width", m.width());
        c.put("depth", m.depth());
        c.put("classes", m.classes());
        c.put("residual", m.residual());
        c.put("activation", m.activation().cliName());
        c.put("act_param", m.actParam());
        c.put("norm", m.norm().shortName());
        c.put("init", m.init().cliName());
        c.put("input_layer", "linear+bias, no activation [O]");
        c.put("final_norm", m.norm() == io.geocont.models.NormKind.NONE ? "none" : "before readout [O]");
        c.put("optimizer", t.optimizer().cliName());
        c.put("lr", t.lr());
        c.put("lr_schedule", t.schedule().cliName());
        c.put("momentum", t.momentum());
        c.put("weight_decay", t.weightDecay());
        c.put("weight_decay_applies_to", "weight matrices only [O]");
        c.put("clip_norm", t.clipNorm());
        c.put("batch", t.batch());
        c.put("epochs", t.epochs());
        c.put("seed", spec.seed());
        c.put("adam_beta1", t.adamBeta1());
        c.put("adam_beta2", t.adamBeta2());
        c.put("adam_eps", t.adamEps());
        c.put("data", spec.dataLabel());
        c.put("top_k", spec.topK());
        c.put("s2wa_default", "LOWER_LAYER, V side");
        return c;
    }

    /**
     * The first setting that differs between two config blocks (compared as JSON, so a float and
     * its double read back agree), or null when they match. {@code ignoreEpochs} lets a
     * checkpoint be resumed towards a different number of epochs.
     */
    static String configDifference(Map<String, Object> want, Map<String, Object> have, boolean ignoreEpochs) {
        var json = AtomicFiles.json();
        try {
            var a = json.readTree(json.writeValueAsBytes(want));
            var b = json.readTree(json.writeValueAsBytes(have == null ? Map.of() : have));
            for (var it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (ignoreEpochs && k.equals("epochs")) continue;
                if (!a.get(k).equals(b.get(k))) return k + " " + b.get(k) + " there, " + a.get(k) + " here";
            }
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot compare run configs: " + e.getMessage(), e);
        }
    }

    /** One run's live state. */
    private static final class Run implements AutoCloseable {
        final MlpRunSpec spec;
        final TrainConfig tc;
        final Split data;
        final Path dir;
        final Backend be;
        final ProgressListener progress;
        final StopFlag stop;
        final MlpModel model;
        final Optimizer opt;
        final int stepsPerEpoch;
        final SplitMix64 shuffle;
        final ContinuityMonitor.Options monitorOptions;
        ContinuityMonitor monitor;
        /** Host copy of the hidden gradient stack, refilled every step for the monitor. */
        final float[] gradientBuffer;
        final List<EpochMetrics> records = new ArrayList<>();
        int epochDone = -1;
        double elapsed;
        /** Where a stopped run left off inside an epoch (from its checkpoint), or null. */
        PartialEpoch partial;

        Run(MlpRunSpec spec, Split data, Path dir, Backend be, ProgressListener progress, StopFlag stop) {
            this.spec = spec;
            this.tc = spec.effectiveTrain();
            this.data = data;
            this.dir = dir;
            this.be = be;
            this.progress = progress;
            this.stop = stop;
            this.model = new MlpModel(be, spec.model(), spec.seed());
            this.stepsPerEpoch = (data.train().n() + tc.batch() - 1) / tc.batch();
            this.opt = new Optimizer(be, tc.optimizerConfig(), model.parameters(), (long) stepsPerEpoch * tc.epochs());
            this.shuffle = new SplitMix64(spec.seed() ^ SHUFFLE_SALT);
            this.monitorOptions = new ContinuityMonitor.Options(spec.topK(), Svds.Need.ALL_FAST);
            this.monitor = new ContinuityMonitor(monitorOptions);
            this.gradientBuffer = new float[Math.toIntExact(model.hiddenGradientStack().size())];
        }

        MlpRunResult execute() throws IOException {
            Path ck = dir.resolve(CHECKPOINT);
            int epochs = tc.epochs();
            if (Files.isRegularFile(ck)) {
                restore(RunCheckpoint.read(ck, MlpState.class));
            }
            progress.started(spec, Math.max(epochDone, 0), epochs);
            if (partial != null) progress.resumedWithinEpoch(spec, partial.epoch(), partial.nextStep(), partial.steps());
            if (epochDone < 0) {
                long t0 = System.nanoTime();
                CompletableFuture<ContinuityRecord> m = monitor.measureAsync(model.hiddenWeights());   // its SVDs while the train set is evaluated
                double[] tr = model.evaluate(data.train(), EVAL_BATCH);
                finishEpoch(0, tr[0], tr[1], null, t0, t0, epochs, m);
            }
            int n = data.train().n();
            int[] order = new int[n];
            int steps = (n + tc.batch() - 1) / tc.batch();
            for (int e = epochDone + 1; e <= epochs; e++) {
                long t0 = System.nanoTime();
                PartialEpoch at = partial != null && partial.epoch() == e ? partial : null;
                partial = null;
                long rngBefore = at != null ? at.rngBeforeShuffle() : shuffle.state();
                shuffle.setState(rngBefore);
                for (int i = 0; i < n; i++) order[i] = i;
                shuffle.shuffle(order);
                double lossSum = 0, correct = 0, normSum = 0;
                int clipped = 0, first = 0;
                if (at != null) { // the monitor's sums of this epoch came back with the checkpoint
                    if (at.steps() != steps) throw new IOException(dir.resolve(CHECKPOINT) + ": stopped with " + at.steps()
                            + " steps per epoch, this data gives " + steps);
                    lossSum = at.lossSum(); correct = at.correct(); normSum = at.normSum(); clipped = at.clipped(); first = at.nextStep();
                    t0 -= (long) (at.seconds() * 1e9);
                }
                for (int s = first; s < steps; s++) {
                    if (stop.requested()) {
                        save(new PartialEpoch(e, s, steps, rngBefore, lossSum, correct, normSum, clipped, (System.nanoTime() - t0) / 1e9));
                        throw RunStoppedException.inEpoch(spec.runId(), e, s, steps, stop.reason());
                    }
                    int from = s * tc.batch();
                    int b = Math.min(tc.batch(), n - from);
                    MlpModel.Workspace ws = model.workspace(b);
                    ws.load(data.train(), order, from);
                    model.forward(ws);
                    model.loss(ws);
                    model.backward(ws);
                    double[] lc = model.lossAndCorrect(ws);
                    lossSum += lc[0];
                    correct += lc[1];
                    // the CPU backend's gradient array itself (0.8 MB: its copy was 1-3% of an epoch); a device's, copied
                    Tensor grads = model.hiddenGradientStack();
                    float[] host = grads.hostArrayOrNull();
                    if (host == null) grads.copyTo(host = gradientBuffer);
                    monitor.stepStacked(host);
                    double norm = opt.step();
                    normSum += norm;
                    if (opt.clips(norm)) clipped++;
                    progress.step(spec, e, s + 1, steps);
                }
                StepStats st = new StepStats(normSum / steps, (double) clipped / steps);
                finishEpoch(e, lossSum / n, correct / n, st, t0, System.nanoTime(), epochs, null);
            }
            EpochMetrics last = records.get(records.size() - 1);
            MlpRunResult result = new MlpRunResult(spec.runId(), spec.model().variantName(), configMap(spec),
                    List.copyOf(records), last, elapsed);
            result.write(dir.resolve(RESULT));
            progress.finished(spec, result, false);
            return result;
        }

        record StepStats(double gradNormMean, double clippedFraction) { }

        /**
         * t0: epoch start; tTrained: end of its training steps (= t0 at epoch 0); {@code started}: the
         * epoch's measurement when it was handed over already, else null. The measurement's SVDs
         * run on the monitor's thread while the test set is evaluated here (the record is
         * measure's, bit for bit), and the epoch's record, checkpoint and log line are written
         * before the next epoch starts, as they always were.
         */
        private void finishEpoch(int epoch, double trainLoss, double trainAcc, StepStats st, long t0, long tTrained, int epochs,
                                 CompletableFuture<ContinuityRecord> started) throws IOException {
            CompletableFuture<ContinuityRecord> measurement = started != null ? started : monitor.measureAsync(model.hiddenWeights());
            double[] test = model.evaluate(data.test(), EVAL_BATCH);
            long waitFrom = System.nanoTime();
            ContinuityRecord c;
            try {
                c = measurement.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;   // a non-finite weight: as measure throws it
                throw e;
            }
            double waited = (System.nanoTime() - waitFrom) / 1e9;
            double secs = (System.nanoTime() - t0) / 1e9;
            elapsed += secs;
            EpochMetrics m = EpochMetrics.of(epoch, trainLoss, trainAcc, test[0], test[1], secs, c,
                    st == null ? null : st.gradNormMean(), st == null ? null : st.clippedFraction(),
                    (tTrained - t0) / 1e9, (System.nanoTime() - tTrained) / 1e9, waited);
            records.add(m);
            epochDone = epoch;
            save(null);
            writeLog();
            // epoch 0 is evaluation only (and JIT warm-up), so it says nothing about a training epoch's time
            progress.epoch(spec, m, epochs, epoch == 0 ? Double.NaN : secs * (epochs - epoch));
        }

        private void writeLog() throws IOException {
            List<com.fasterxml.jackson.databind.node.ObjectNode> lines = new ArrayList<>();
            for (EpochMetrics r : records) lines.add(RunLog.line("epoch", (long) r.epoch() * stepsPerEpoch, r));
            RunLog.rewrite(dir.resolve(LOG), lines);
        }

        /** The state at the end of epoch {@code epochDone}, or inside the next one when {@code partEpoch} is given. */
        private void save(PartialEpoch partEpoch) throws IOException {
            Map<String, float[]> arrays = new LinkedHashMap<>();
            for (Param p : model.parameters()) arrays.put("param:" + p.name(), p.value().toArray());
            List<Tensor> os = opt.stateTensors();
            for (int i = 0; i < os.size(); i++) arrays.put("opt:" + i, os.get(i).toArray());
            arrays.putAll(monitor.arrays());
            MlpState s = new MlpState(spec.runId(), configMap(spec), epochDone, opt.stepCount(),
                    partEpoch != null ? partEpoch.rngBeforeShuffle() : shuffle.state(), elapsed, monitor.state(),
                    List.copyOf(records), partEpoch);
            RunCheckpoint.write(dir.resolve(CHECKPOINT), s, arrays);
        }

        private void restore(RunCheckpoint.Loaded<MlpState> ck) throws IOException {
            Path file = dir.resolve(CHECKPOINT);
            MlpState s = ck.state();
            if (!spec.runId().equals(s.runId()))
                throw new IOException(file + ": checkpoint belongs to run '" + s.runId() + "', not '" + spec.runId() + "'");
            String diff = configDifference(configMap(spec), s.config(), true);
            if (diff != null)
                throw new IOException(file + ": checkpoint was written with other settings (" + diff
                        + "); choose another output folder or delete the run folder");
            for (Param p : model.parameters()) p.value().copyFrom(ck.array(file, "param:" + p.name(), p.value().size()));
            List<Tensor> os = opt.stateTensors();
            for (int i = 0; i < os.size(); i++) os.get(i).copyFrom(ck.array(file, "opt:" + i, os.get(i).size()));
            try {
                monitor = ContinuityMonitor.restore(monitorOptions, s.monitor(), ck.arrays());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            opt.setStepCount(s.optimizerStep());
            shuffle.setState(s.rngState());
            elapsed = s.elapsedSeconds();
            records.addAll(s.records());
            epochDone = s.epoch();
            partial = s.partial();
            if (partial != null && (partial.epoch() != epochDone + 1 || monitor.stepsSinceMeasure() != partial.nextStep()))
                throw new IOException(file + ": stopped-epoch state does not fit this run (epoch " + partial.epoch() + " after " + epochDone + ")");
            if (records.size() != epochDone + 1)
                throw new IOException(file + ": checkpoint at epoch " + epochDone + " holds " + records.size() + " records");
            writeLog();   // the log may lag the checkpoint by one epoch if a run was killed in between
        }

        @Override public void close() {
            opt.close();
            model.close();
        }
    }
}
