package io.geocont.train;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.data.MnistData;
import io.geocont.data.Split;
import io.geocont.models.NormKind;
import io.geocont.models.mlp.InitKind;
import io.geocont.models.mlp.MlpConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

class MlpExperimentTest {
    static Backend be;
    static Split small;

    @TempDir Path tmp;

    @BeforeAll static void setUp() throws IOException {
        be = Backends.open("cpu", null);
        small = smallSplit();
    }

    /** 600 training digits (10 steps of 64) and 300 test digits of the embedded MNIST: the training tests' data. */
    static Split smallSplit() throws IOException {
        Split all = MnistData.load(null);
        return new Split(all.train().slice(0, 600), all.test().slice(0, 300), "embedded-small");
    }

    @AfterAll static void tearDown() { be.close(); }

    static MlpRunSpec spec(int epochs) {
        MlpConfig m = new MlpConfig(784, 16, 4, 10, true, Activation.RELU, 0f, NormKind.NONE, InitKind.PYTORCH);
        TrainConfig t = TrainConfig.quickDefault().withEpochs(epochs).withBatch(64);
        return new MlpRunSpec(m, t, 3, "embedded-small", 4);
    }

    /** Stops the run like a kill would: an exception in the middle of epoch {@code killEpoch}. */
    static final class Killer implements ProgressListener {
        final int killEpoch;
        Killer(int killEpoch) { this.killEpoch = killEpoch; }
        @Override public void step(MlpRunSpec spec, int epoch, int step, int steps) {
            if (epoch == killEpoch && step == 2) throw new IllegalStateException("simulated kill");
        }
    }

    @Test void killedRunResumesToTheSameNumbersAsAnUninterruptedOne() throws IOException {
        MlpRunSpec spec = spec(3);
        MlpRunResult straight = MlpExperiment.run(spec, small, tmp.resolve("a"), be, ProgressListener.NONE);

        Path dir = tmp.resolve("b");
        assertThrows(IllegalStateException.class, () -> MlpExperiment.run(spec, small, dir, be, new Killer(3)));
        assertFalse(Files.exists(dir.resolve(MlpExperiment.RESULT)));
        assertTrue(Files.exists(dir.resolve(MlpExperiment.CHECKPOINT)));
        assertEquals(3, Files.readAllLines(dir.resolve(MlpExperiment.LOG)).size(), "epochs 0, 1, 2 logged before the kill");

        AtomicBoolean resumed = new AtomicBoolean();
        MlpRunResult again = MlpExperiment.run(spec, small, dir, be, new ProgressListener() {
            @Override public void started(MlpRunSpec s, int start, int epochs) { resumed.set(start == 2); }
        });
        assertTrue(resumed.get(), "resumed from the end of epoch 2");
        assertEquals(4, again.epochs().size());
        assertEquals(4, Files.readAllLines(dir.resolve(MlpExperiment.LOG)).size());
        for (int e = 0; e < 4; e++) assertSameNumbers(straight.epochs().get(e), again.epochs().get(e));
        var a = RunCheckpoint.read(tmp.resolve("a").resolve(MlpExperiment.CHECKPOINT), MlpState.class).arrays();
        var b = RunCheckpoint.read(dir.resolve(MlpExperiment.CHECKPOINT), MlpState.class).arrays();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k + " bitwise equal after resume");
    }

    @Test void finishedRunIsReturnedWithoutTraining() throws IOException {
        MlpRunSpec spec = spec(1);
        Path dir = tmp.resolve("c");
        MlpRunResult first = MlpExperiment.run(spec, small, dir, be, ProgressListener.NONE);
        AtomicBoolean trained = new AtomicBoolean(), cached = new AtomicBoolean();
        MlpRunResult second = MlpExperiment.run(spec, small, dir, be, new ProgressListener() {
            @Override public void step(MlpRunSpec s, int e, int st, int n) { trained.set(true); }
            @Override public void finished(MlpRunSpec s, MlpRunResult r, boolean c) { cached.set(c); }
        });
        assertFalse(trained.get());
        assertTrue(cached.get());
        assertEquals(first.runId(), second.runId());
        assertEquals(first.finalEpoch().v1Mean(), second.finalEpoch().v1Mean());
        assertEquals("res-relu-sgd-s3", second.runId());
        assertEquals("res-relu", second.variant());
        assertEquals(0.05, ((Number) second.config().get("lr")).doubleValue(), 1e-7);
        MlpRunSpec other = new MlpRunSpec(spec.model(), spec.train().withLr(0.01f), spec.seed(), spec.dataLabel(), spec.topK());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MlpExperiment.run(other, small, dir, be, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("lr"), e.getMessage());
    }

    @Test void recordsHaveTheDocumentedShape() throws IOException {
        MlpRunResult r = MlpExperiment.run(spec(2), small, tmp.resolve("d"), be, ProgressListener.NONE);
        List<EpochMetrics> es = r.epochs();
        EpochMetrics e0 = es.get(0), e1 = es.get(1), e2 = es.get(2);
        assertNull(e0.gradCohV1Mean());
        assertNull(e0.driftDeg());
        assertEquals(0.0, e0.updateRatioMean());
        assertEquals(3, e0.v1Pairs().length);
        assertEquals(4, e0.erankLayers().length);
        for (double dd : e1.driftDeg()) assertEquals(0.0, dd, 1e-4);
        assertEquals(4, e2.driftDeg().length);
        assertTrue(e2.updateRatioMean() > 0);
        assertEquals(e2.gcumV1Mean() - e2.v1Mean(), e2.dgw(), 1e-12);
        assertTrue(e2.gradCohFlatMean() >= 0 && e2.gradCohFlatMean() <= 1);
        assertTrue(e2.testAcc() > 0.5, "a 16-wide net learns digits in 2 epochs: " + e2.testAcc());
        assertTrue(e2.trainLoss() < e0.trainLoss());
        assertEquals(e2, r.finalEpoch());
        assertTrue(r.learned());
        String json = new String(Files.readAllBytes(tmp.resolve("d").resolve(MlpExperiment.RESULT)));
        assertFalse(json.contains("\"learned\""), "derived values stay out of result.json");
        assertTrue(json.contains("\"final\"") && json.contains("\"wall_seconds\"") && json.contains("\"run_id\""));
        String line = Files.readAllLines(tmp.resolve("d").resolve(MlpExperiment.LOG)).get(1);
        // the run-log schema: type and step (10 steps of 64 per epoch) first, then the epoch record
        assertTrue(line.startsWith("{\"type\":\"epoch\",\"step\":10,\"epoch\":1,\"train_loss\":"), line);
        assertTrue(line.contains("\"drift_deg\":[") && line.contains("\"grad_coh_v1_mean\":"), line);
        String first = Files.readAllLines(tmp.resolve("d").resolve(MlpExperiment.LOG)).get(0);
        assertTrue(first.contains("\"drift_deg\":null") && first.contains("\"dgw\":null"), first);
    }

    /** science.md section 6, item 1: at initialization v1 continuity sits at the random baseline. */
    @Test void randomInitSitsAtTheBaseline() {
        for (InitKind init : InitKind.values()) {
            MlpConfig m = new MlpConfig(784, 64, 12, 10, true, Activation.RELU, 0f, NormKind.NONE, init);
            try (var model = new io.geocont.models.mlp.MlpModel(be, m, 5)) {
                var w = new io.geocont.monitor.ContinuityMonitor(io.geocont.monitor.ContinuityMonitor.Options.defaults()).measure(model.hiddenWeights());
                double base = io.geocont.analysis.Continuity.randomBaseline(64);
                double se = io.geocont.analysis.Continuity.randomBaselineStd(64) / Math.sqrt(w.v1Pairs().length);
                assertEquals(base, w.v1Mean(), 3 * se, init + ": v1 " + w.v1Mean() + " vs baseline " + base);
                assertEquals(base, w.u1Mean(), 3 * se, init + ": u1");
            }
        }
    }

    /** Every number of two records equal (bitwise via JSON), except the wall-clock timings. */
    @SuppressWarnings("unchecked")
    static void assertSameNumbers(EpochMetrics a, EpochMetrics b) {
        var json = io.geocont.io.AtomicFiles.json();
        java.util.Map<String, Object> ma = json.convertValue(a, java.util.Map.class);
        java.util.Map<String, Object> mb = json.convertValue(b, java.util.Map.class);
        for (String clock : new String[]{"seconds", "train_seconds", "eval_metrics_seconds", "monitor_step_seconds", "monitor_measure_seconds",
                "monitor_wait_seconds"}) {
            ma.remove(clock);
            mb.remove(clock);
        }
        assertEquals(ma, mb, "epoch " + a.epoch());
    }
}
