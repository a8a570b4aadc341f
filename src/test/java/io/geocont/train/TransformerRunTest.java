package io.geocont.train;

import io.geocont.analysis.Continuity;
import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.backend.cpu.CpuBackend;
import io.geocont.data.TextCorpus;
import io.geocont.experiments.transformer.Fig3Output;
import io.geocont.models.NormKind;
import io.geocont.models.Param;
import io.geocont.models.transformer.TransformerConfig;
import io.geocont.models.transformer.TransformerModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Training, resume and the Fig. 3 measurements on tiny models (seconds each). */
class TransformerRunTest {
    private static final Backend BE = new CpuBackend(2);
    private static final TransformerProgress QUIET = TransformerProgress.NONE;
    private static final TextCorpus TEXT = TextCorpus.embedded(0.05);

    @AfterAll static void close() { BE.close(); }

    private static TransformerConfig tiny(int layers) {
        return new TransformerConfig(256, 32, layers, 2, 64, 32, 8, true, Activation.SILU, NormKind.RMS, 0.02, 10000, 1e-5);
    }

    private static TransformerTrainConfig train(int steps, int evalEvery, double lr) {
        return new TransformerTrainConfig(steps, TransformerTrainConfig.adamw(lr, 0.1, 1.0, Math.max(1, steps / 20)),
                evalEvery, 2, 7, 0.05, 5, 1000);
    }

    @Test void lossFallsClearlyBelowTheStart(@TempDir Path dir) throws Exception {
        TransformerRun.Result r = new TransformerRun(BE, tiny(2), train(120, 60, 3e-3), TEXT, dir, QUIET).run(false, 120);
        double first = ((Number) r.evals().get(0).get("val_loss")).doubleValue();
        // At init the model predicts about uniformly: ln 256 = 5.545 nats.
        assertEquals(Math.log(256), first, 0.05, "initial validation loss");
        assertTrue(r.valLoss() < first - 2.0, "validation loss should fall by > 2 nats, got " + first + " -> " + r.valLoss());
        assertTrue(r.trainLoss() < first - 2.0, "training loss should fall too, got " + r.trainLoss());
        assertTrue(Files.exists(dir.resolve("log.jsonl")) && Files.exists(dir.resolve("checkpoint.bin")) && Files.exists(dir.resolve("result.json")));
    }

    @Test void resumeAfterStopEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        TransformerConfig mc = tiny(2);
        TransformerTrainConfig tc = train(8, 4, 1e-3);
        Path a = dir.resolve("a"), b = dir.resolve("b");
        TransformerRun.Result ra = new TransformerRun(BE, mc, tc, TEXT, a, QUIET).run(false, 8);
        TransformerRun.Result rb1 = new TransformerRun(BE, mc, tc, TEXT, b, QUIET).run(false, 5);
        assertEquals(5, rb1.steps());
        assertFalse(rb1.finished());
        TransformerRun.Result rb = new TransformerRun(BE, mc, tc, TEXT, b, QUIET).run(true, 8);
        assertTrue(rb.finished());
        assertEquals(ra.valLoss(), rb.valLoss(), 0.0, "validation loss after resume");
        assertEquals(ra.trainLoss(), rb.trainLoss(), 0.0, "last training loss after resume");
        float[][] pa = params(mc, a.resolve("checkpoint.bin")), pb = params(mc, b.resolve("checkpoint.bin"));
        for (int i = 0; i < pa.length; i++) assertArrayEquals(pa[i], pb[i], "tensor " + i + " differs after resume");
        assertEquals(ra.evals().size(), rb.evals().size(), "eval records kept across the resume");
        for (String p : TransformerModel.PROJECTIONS)
            assertEquals(ra.projections().get(p).v1(), rb.projections().get(p).v1(), 0.0, p + " v1 after resume");
        // A different setting must refuse the old checkpoint.
        TransformerTrainConfig other = train(8, 4, 2e-3);
        assertThrows(IllegalArgumentException.class, () -> new TransformerRun(BE, mc, other, TEXT, b, QUIET).run(true, 8));
    }

    @Test void aStopFlagStopsAtAStepAndResumeEqualsUninterrupted(@TempDir Path dir) throws Exception {
        TransformerConfig mc = tiny(2);
        TransformerTrainConfig tc = train(8, 4, 1e-3);   // progress every 5 steps
        TransformerRun.Result straight = new TransformerRun(BE, mc, tc, TEXT, dir.resolve("a"), QUIET).run(false, 8);
        StopFlag flag = new StopFlag();
        TransformerProgress raise = new TransformerProgress() {
            @Override public void trained(int step, int end, double loss, double lr, double g, double tps, double sps, double eta) {
                if (step == 5) flag.request("SIGTERM");
            }
        };
        Path b = dir.resolve("b");
        RunStoppedException e = assertThrows(RunStoppedException.class, () -> new TransformerRun(BE, mc, tc, TEXT, b, raise).run(false, 8, flag));
        assertEquals(5, e.nextStep(), "the step in progress finished, nothing after it ran");
        assertEquals(5, RunCheckpoint.read(b.resolve("checkpoint.bin"), TransformerRun.State.class).state().step());
        TransformerRun.Result resumed = new TransformerRun(BE, mc, tc, TEXT, b, QUIET).run(true, 8);
        assertEquals(straight.valLoss(), resumed.valLoss(), 0.0);
        float[][] pa = params(mc, dir.resolve("a").resolve("checkpoint.bin")), pb = params(mc, b.resolve("checkpoint.bin"));
        for (int i = 0; i < pa.length; i++) assertArrayEquals(pa[i], pb[i], "array " + i + " differs after the stop and resume");
        // the log keeps one schema: type and step first on every line
        for (var line : RunLog.read(b.resolve(RunLog.FILE))) {
            var names = line.fieldNames();
            assertEquals(List.of("type", "step"), List.of(names.next(), names.next()), line.toString());
        }
    }

    private static float[][] params(TransformerConfig mc, Path ckpt) throws Exception {
        // every array: parameters, optimizer state and the continuity monitors' state
        return RunCheckpoint.read(ckpt, TransformerRun.State.class).arrays().values().toArray(float[][]::new);
    }

    @Test void fig3JsonHasTheContractedSchema(@TempDir Path dir) throws Exception {
        TransformerRun.Result r = new TransformerRun(BE, tiny(3), train(6, 3, 1e-3), TEXT, dir, QUIET).run(false, 6);
        Fig3Output.write(r, dir);
        io.geocont.plot.Fig3Figures.write(r, dir); // the charts are presentation's; asserted below with the JSON
        @SuppressWarnings("unchecked")
        Map<String, Object> j = io.geocont.io.AtomicFiles.json().readValue(dir.resolve("fig3.json").toFile(), Map.class);
        assertTrue(j.keySet().containsAll(List.of("projections", "steps", "val_loss", "config")), "top-level keys " + j.keySet());
        assertEquals(6, ((Number) j.get("steps")).intValue());
        assertTrue(((Number) j.get("val_loss")).doubleValue() > 0);
        assertInstanceOf(Map.class, j.get("config"));
        @SuppressWarnings("unchecked") Map<String, Object> ps = (Map<String, Object>) j.get("projections");
        assertEquals(List.of("q", "k", "v", "o", "gate", "up", "down"), new ArrayList<>(ps.keySet()));
        for (Object o : ps.values()) {
            @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) o;
            for (String k : List.of("v1", "u1")) {
                double x = ((Number) p.get(k)).doubleValue();
                assertTrue(x >= 0 && x <= 1, k + " = " + x);
            }
        }
        for (String f : List.of("fig3.png", "fig3.svg", "fig3_v1_vs_step.png", "fig3_u1_vs_step.svg"))
            assertTrue(Files.size(dir.resolve(f)) > 1000, f + " written");
    }

    @Test void randomInitSitsAtTheBaseline() {
        // 8 blocks of width 64: 7 pairs x 7 projections, independent N(0, s^2) matrices.
        TransformerConfig c = new TransformerConfig(256, 64, 8, 2, 64, 8, 2, true, Activation.SILU, NormKind.RMS, 0.02, 10000, 1e-5);
        TransformerModel m = new TransformerModel(BE, c, 3);
        float[] tok = new float[c.rows()];
        m.forward(BE.fromArray(tok, tok.length), BE.fromArray(tok, tok.length));
        Map<String, ProjectionStats> s = new ProjectionMetrics().measure(m);
        double sum = 0;
        int n = 0;
        for (ProjectionStats p : s.values()) {
            for (double x : p.v1Pairs()) { sum += x; n++; }
            for (double x : p.u1Pairs()) { sum += x; n++; }
            assertEquals(0.0, p.moveRatioMean(), 1e-6, "an untrained model has not moved");
        }
        double mean = sum / n, base = Continuity.randomBaseline(64), se = Continuity.randomBaselineStd(64) / Math.sqrt(n);
        assertEquals(base, mean, 4 * se, "mean |cos| at init vs the random baseline " + base);
    }

    @Test void meanDirectionDiagnosticFindsAPlantedDirection() {
        // Rows = 3 * e0 + noise: the mean normalized input points along e0.
        int rows = 200, cols = 16;
        float[] x = new float[rows * cols];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) x[r * cols + j] = (float) ((j == 0 ? 3 : 0) + 0.3 * rng.nextGaussian());
        double[][] mm = ProjectionMetrics.meanDirections(BE.fromArray(x, rows, cols));
        double[] e0 = new double[cols];
        e0[0] = 1;
        assertTrue(Continuity.absCos(e0, unit(mm[0])) > 0.99);
        assertTrue(Continuity.absCos(e0, unit(mm[1])) > 0.99);
        double[] e1 = new double[cols];
        e1[1] = 1;
        assertTrue(Continuity.absCos(e1, unit(mm[0])) < 0.1);
    }

    @Test void unigramEntropyOfAKnownText() {
        TextCorpus t = new TextCorpus("abababab".repeat(100).getBytes(), 0.1, "test");
        assertEquals(Math.log(2), t.unigramEntropyNats(), 1e-3);
    }

    @Test void scheduleWarmsUpThenDecaysToTheFloor() {
        // the one schedule of train.Optimizer (float rates): the cosine starts at the peak right after the
        // warm-up and reaches the floor one step after the last one
        OptimizerConfig o = train(100, 10, 1e-3).optimizer();
        assertEquals(1e-3 / 5, o.rate(1, 100), 1e-10);
        assertEquals(1e-3, o.rate(5, 100), 1e-10);
        assertEquals(1e-3, o.rate(6, 100), 1e-10);
        assertEquals(1e-4, o.rate(100, 100), 1e-6);
        assertTrue(o.rate(100, 100) >= 1e-4f);
        assertTrue(o.rate(50, 100) < 1e-3 && o.rate(50, 100) > 1e-4);
    }

    private static double[] unit(double[] x) {
        double n = 0;
        for (double v : x) n += v * v;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] / Math.sqrt(n);
        return out;
    }
}
