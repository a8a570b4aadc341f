package io.geocont.train;

import io.geocont.util.SplitMix64;

import io.geocont.analysis.Continuity;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.svd.Svds;
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

/**
 * Trains one toy MLP and records the continuity metrics at initialization and after every
 * epoch. A run folder holds log.jsonl (one record per line), checkpoint.bin (the state at the
 * end of the last finished epoch, written atomically) and finally result.json. A run whose
 * result.json exists is returned as is; a run with a checkpoint resumes from it, and on the
 * CPU the resumed run is bitwise the same as an uninterrupted one. A {@link StopFlag} raised
 * during training stops the run after the step in progress, with a checkpoint of that point
 * (see {@link PartialEpoch}), and throws {@link RunStoppedException}.
 */
public final class MlpExperiment {
    public static final String LOG = "log.jsonl", CHECKPOINT = "checkpoint.bin", RESULT = "result.json";
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
        final int depth, d;
        final Tensor gCum, gEpoch, coh;
        final SplitMix64 shuffle;
        final HiddenLayerMetrics metrics;
        List<Matrix> wInit;
        double[] initS1;
        double[][] driftRef;
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
            int stepsPerEpoch = (data.train().n() + tc.batch() - 1) / tc.batch();
            this.opt = new Optimizer(be, tc, model.parameters(), (long) stepsPerEpoch * tc.epochs());
            this.depth = spec.model().depth();
            this.d = spec.model().width();
            this.gCum = be.zeros(depth, d * d);
            this.gEpoch = be.zeros(depth, d * d);
            this.coh = be.zeros(2 * depth - 1);
            this.shuffle = new SplitMix64(spec.seed() ^ SHUFFLE_SALT);
            this.metrics = new HiddenLayerMetrics(Svds.plan(Svds.Need.ALL_FAST, 0, d, d, null).svd(), spec.topK());
        }

        MlpRunResult execute() throws IOException {
            Path ck = dir.resolve(CHECKPOINT);
            int epochs = tc.epochs();
            if (Files.isRegularFile(ck)) {
                restore(MlpCheckpoint.read(ck));
            } else {
                wInit = model.hiddenWeights();
                initS1 = new double[depth];
                for (int l = 0; l < depth; l++) initS1[l] = Svds.s1(wInit.get(l));
            }
            progress.started(spec, Math.max(epochDone, 0), epochs);
            if (partial != null) progress.resumedWithinEpoch(spec, partial.epoch(), partial.nextStep(), partial.steps());
            if (epochDone < 0) {
                long t0 = System.nanoTime();
                double[] tr = model.evaluate(data.train(), EVAL_BATCH);
                finishEpoch(0, tr[0], tr[1], null, t0, t0, epochs);
            }
            int n = data.train().n();
            int[] order = new int[n];
            int steps = (n + tc.batch() - 1) / tc.batch();
            double[] flatAbs = new double[depth - 1], flatSigned = new double[depth - 1];
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
                if (at == null) {
                    be.fill(gEpoch, 0f);
                    java.util.Arrays.fill(flatAbs, 0);
                    java.util.Arrays.fill(flatSigned, 0);
                } else { // gEpoch came back with the checkpoint
                    if (at.steps() != steps) throw new IOException(dir.resolve(CHECKPOINT) + ": stopped with " + at.steps()
                            + " steps per epoch, this data gives " + steps);
                    lossSum = at.lossSum(); correct = at.correct(); normSum = at.normSum(); clipped = at.clipped(); first = at.nextStep();
                    System.arraycopy(at.flatAbs(), 0, flatAbs, 0, flatAbs.length);
                    System.arraycopy(at.flatSigned(), 0, flatSigned, 0, flatSigned.length);
                    t0 -= (long) (at.seconds() * 1e9);
                }
                for (int s = first; s < steps; s++) {
                    if (stop.requested()) {
                        save(new PartialEpoch(e, s, steps, rngBefore, lossSum, correct, normSum, clipped, flatAbs.clone(),
                                flatSigned.clone(), (System.nanoTime() - t0) / 1e9));
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
                    accumulateCoherence(flatAbs, flatSigned);
                    be.axpy(1f, model.hiddenGradientStack(), gEpoch);
                    be.axpy(1f, model.hiddenGradientStack(), gCum);
                    double norm = opt.step();
                    normSum += norm;
                    if (tc.clipNorm() > 0 && norm > tc.clipNorm()) clipped++;
                    progress.step(spec, e, s + 1, steps);
                }
                for (int p = 0; p < depth - 1; p++) { flatAbs[p] /= steps; flatSigned[p] /= steps; }
                StepStats st = new StepStats(flatAbs.clone(), flatSigned.clone(), normSum / steps, (double) clipped / steps);
                finishEpoch(e, lossSum / n, correct / n, st, t0, System.nanoTime(), epochs);
            }
            EpochMetrics last = records.get(records.size() - 1);
            MlpRunResult result = new MlpRunResult(spec.runId(), spec.model().variantName(), configMap(spec),
                    List.copyOf(records), last, elapsed);
            result.write(dir.resolve(RESULT));
            progress.finished(spec, result, false);
            return result;
        }

        /** Per-step |cos| and signed cos of flattened adjacent hidden gradients, summed into the epoch's totals. */
        private void accumulateCoherence(double[] flatAbs, double[] flatSigned) {
            if (depth < 2) return;
            be.adjacentDotsAndNorms(model.hiddenGradientStack(), coh);
            float[] c = coh.toArray();
            for (int p = 0; p < depth - 1; p++) {
                double den = Math.sqrt((double) c[p] * c[p + 1]);
                double cos = den > 0 ? c[depth + p] / den : 0;
                flatAbs[p] += Math.abs(cos);
                flatSigned[p] += cos;
            }
        }

        record StepStats(double[] flatAbs, double[] flatSigned, double gradNormMean, double clippedFraction) { }

        /** t0: epoch start; tTrained: end of its training steps (= t0 at epoch 0). */
        private void finishEpoch(int epoch, double trainLoss, double trainAcc, StepStats st, long t0, long tTrained, int epochs)
                throws IOException {
            double[] test = model.evaluate(data.test(), EVAL_BATCH);
            List<Matrix> w = model.hiddenWeights();
            HiddenLayerMetrics.WeightPart wp = metrics.weights(w);
            Double gcV1 = null, gcFlat = null, gcFlatSigned = null, gcum = null, dgw = null, driftMean = null;
            double[] gcV1Pairs = null, gcFlatPairs = null, gcumPairs = null, drift = null;
            if (epoch > 0) {
                gcV1Pairs = HiddenLayerMetrics.leadingV1Pairs(model.split(gEpoch.toArray()));
                gcV1 = HiddenLayerMetrics.mean(gcV1Pairs);
                gcFlatPairs = st.flatAbs();
                gcFlat = HiddenLayerMetrics.mean(st.flatAbs());
                gcFlatSigned = HiddenLayerMetrics.mean(st.flatSigned());
                gcumPairs = HiddenLayerMetrics.leadingV1Pairs(model.split(gCum.toArray()));
                gcum = HiddenLayerMetrics.mean(gcumPairs);
                dgw = gcum - wp.v1Mean();
                if (epoch == 1) driftRef = wp.v1();
                drift = HiddenLayerMetrics.driftDegrees(wp.v1(), driftRef);
                driftMean = HiddenLayerMetrics.mean(drift);
            }
            double[] upd = HiddenLayerMetrics.updateRatios(w, wInit, initS1);
            double secs = (System.nanoTime() - t0) / 1e9;
            elapsed += secs;
            EpochMetrics m = new EpochMetrics(epoch, trainLoss, trainAcc, test[0], test[1], secs,
                    Continuity.randomBaseline(d), Continuity.randomBaselineStd(d),
                    wp.v1Mean(), wp.v1Pairs(), wp.u1Mean(), wp.u1Pairs(), wp.topkV1Mean(), wp.overlapVMean(),
                    wp.s2wa(), wp.s2waBoth(), wp.s2waSq(), wp.erankMean(), wp.erankLayers(),
                    gcV1, gcV1Pairs, gcFlat, gcFlatPairs, gcFlatSigned, gcum, gcumPairs, dgw,
                    drift, driftMean, upd, HiddenLayerMetrics.mean(upd),
                    st == null ? null : st.gradNormMean(), st == null ? null : st.clippedFraction(), wp.s1Layers(),
                    (tTrained - t0) / 1e9, (System.nanoTime() - tTrained) / 1e9);
            records.add(m);
            epochDone = epoch;
            save(null);
            writeLog();
            // epoch 0 is evaluation only (and JIT warm-up), so it says nothing about a training epoch's time
            progress.epoch(spec, m, epochs, epoch == 0 ? Double.NaN : secs * (epochs - epoch));
        }

        private void writeLog() throws IOException {
            StringBuilder sb = new StringBuilder();
            var json = AtomicFiles.json().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
            for (EpochMetrics r : records) sb.append(json.writeValueAsString(r)).append('\n');
            AtomicFiles.writeString(dir.resolve(LOG), sb.toString());
        }

        /** The state at the end of epoch {@code epochDone}, or inside the next one when {@code partEpoch} is given. */
        private void save(PartialEpoch partEpoch) throws IOException {
            Map<String, float[]> arrays = new LinkedHashMap<>();
            for (Param p : model.parameters()) arrays.put("param:" + p.name(), p.value().toArray());
            List<Tensor> os = opt.stateTensors();
            for (int i = 0; i < os.size(); i++) arrays.put("opt:" + i, os.get(i).toArray());
            arrays.put("gcum", gCum.toArray());
            float[] wi = new float[depth * d * d];
            for (int l = 0; l < depth; l++) System.arraycopy(wInit.get(l).data(), 0, wi, l * d * d, d * d);
            arrays.put("w_init", wi);
            if (partEpoch != null) arrays.put("gepoch", gEpoch.toArray());
            MlpCheckpoint.State s = new MlpCheckpoint.State(spec.runId(), configMap(spec), epochDone, opt.stepCount(),
                    partEpoch != null ? partEpoch.rngBeforeShuffle() : shuffle.state(), elapsed, initS1, driftRef,
                    List.copyOf(records), partEpoch);
            MlpCheckpoint.write(dir.resolve(CHECKPOINT), s, arrays);
        }

        private void restore(MlpCheckpoint.Loaded ck) throws IOException {
            Path file = dir.resolve(CHECKPOINT);
            MlpCheckpoint.State s = ck.state();
            if (!spec.runId().equals(s.runId()))
                throw new IOException(file + ": checkpoint belongs to run '" + s.runId() + "', not '" + spec.runId() + "'");
            String diff = configDifference(configMap(spec), s.config(), true);
            if (diff != null)
                throw new IOException(file + ": checkpoint was written with other settings (" + diff
                        + "); choose another output folder or delete the run folder");
            for (Param p : model.parameters()) p.value().copyFrom(array(ck, file, "param:" + p.name(), p.value().size()));
            List<Tensor> os = opt.stateTensors();
            for (int i = 0; i < os.size(); i++) os.get(i).copyFrom(array(ck, file, "opt:" + i, os.get(i).size()));
            gCum.copyFrom(array(ck, file, "gcum", gCum.size()));
            wInit = model.split(array(ck, file, "w_init", (long) depth * d * d));
            opt.setStepCount(s.optimizerStep());
            shuffle.setState(s.rngState());
            elapsed = s.elapsedSeconds();
            initS1 = s.initS1();
            driftRef = s.driftRefV1();
            records.addAll(s.records());
            epochDone = s.epoch();
            partial = s.partial();
            if (partial != null) {
                int pairs = Math.max(depth - 1, 0);
                if (partial.epoch() != epochDone + 1 || partial.flatAbs() == null || partial.flatAbs().length != pairs
                        || partial.flatSigned() == null || partial.flatSigned().length != pairs)
                    throw new IOException(file + ": stopped-epoch state does not fit this run (epoch " + partial.epoch() + " after " + epochDone + ")");
                gEpoch.copyFrom(array(ck, file, "gepoch", gEpoch.size()));
            }
            if (records.size() != epochDone + 1)
                throw new IOException(file + ": checkpoint at epoch " + epochDone + " holds " + records.size() + " records");
            writeLog();   // the log may lag the checkpoint by one epoch if a run was killed in between
        }

        private static float[] array(MlpCheckpoint.Loaded ck, Path file, String name, long size) throws IOException {
            float[] a = ck.arrays().get(name);
            if (a == null) throw new IOException(file + ": checkpoint lacks '" + name + "' (different model or optimizer?)");
            if (a.length != size) throw new IOException(file + ": '" + name + "' has " + a.length + " values, expected " + size);
            return a;
        }

        @Override public void close() {
            gCum.close();
            gEpoch.close();
            coh.close();
            opt.close();
            model.close();
        }
    }
}
