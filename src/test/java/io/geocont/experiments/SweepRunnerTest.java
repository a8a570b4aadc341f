package io.geocont.experiments;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.data.MnistData;
import io.geocont.data.Split;
import io.geocont.linalg.Parallel;
import io.geocont.models.NormKind;
import io.geocont.models.mlp.InitKind;
import io.geocont.models.mlp.MlpConfig;
import io.geocont.train.MlpExperiment;
import io.geocont.train.MlpRunResult;
import io.geocont.train.MlpRunSpec;
import io.geocont.train.MlpState;
import io.geocont.train.ProgressListener;
import io.geocont.train.RunCheckpoint;
import io.geocont.train.RunStoppedException;
import io.geocont.train.StopFlag;
import io.geocont.train.TrainConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A sweep on the CPU trains runs side by side; every run must come out bitwise as when trained
 * alone, also when a stop interrupts the runs under way and a second sweep resumes them.
 */
class SweepRunnerTest {
    static Backend be;
    static Split small;

    @TempDir Path tmp;

    @BeforeAll static void setUp() throws IOException {
        be = Backends.open("cpu", null);
        Split all = MnistData.load(null);
        small = new Split(all.train().slice(0, 600), all.test().slice(0, 300), "embedded-small");
    }

    @AfterAll static void tearDown() { be.close(); }

    static List<MlpRunSpec> specs() {
        List<MlpRunSpec> specs = new ArrayList<>();
        for (Activation act : new Activation[]{Activation.RELU, Activation.GELU, Activation.SILU})
            for (int seed = 0; seed < 2; seed++) {
                MlpConfig m = new MlpConfig(784, 16, 3, 10, true, act, 0f, NormKind.NONE, InitKind.PYTORCH);
                specs.add(new MlpRunSpec(m, TrainConfig.quickDefault().withEpochs(3).withBatch(64), seed, "embedded-small", 4));
            }
        return specs;
    }

    /** Each spec trained alone, one after another, into {@code dir}. */
    static void alone(List<MlpRunSpec> specs, Path dir) throws IOException {
        for (MlpRunSpec s : specs) MlpExperiment.run(s, small, dir.resolve(s.runId()), be, ProgressListener.NONE);
    }

    static void assertSameRuns(List<MlpRunSpec> specs, Path expected, Path actual) throws IOException {
        for (MlpRunSpec s : specs) {
            Map<String, float[]> a = RunCheckpoint.read(expected.resolve(s.runId()).resolve(MlpExperiment.CHECKPOINT), MlpState.class).arrays();
            Map<String, float[]> b = RunCheckpoint.read(actual.resolve(s.runId()).resolve(MlpExperiment.CHECKPOINT), MlpState.class).arrays();
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), s.runId() + " " + k + " bitwise as trained alone");
            List<String> la = Files.readAllLines(expected.resolve(s.runId()).resolve(MlpExperiment.LOG));
            List<String> lb = Files.readAllLines(actual.resolve(s.runId()).resolve(MlpExperiment.LOG));
            assertEquals(la.size(), lb.size(), s.runId() + " epochs logged");
            for (int i = 0; i < la.size(); i++)
                assertEquals(withoutTimes(la.get(i)), withoutTimes(lb.get(i)), s.runId() + " log line " + i);
        }
    }

    /** A run-log line without its wall-clock fields ("...seconds": number), which differ between runs. */
    static String withoutTimes(String jsonLine) {
        return jsonLine.replaceAll("\"[a-z_]*seconds\":\\s*[-0-9.eE]+", "\"seconds\":0");
    }

    @Test void runsSideBySideComeOutAsTrainedAlone() throws IOException {
        assumeTrue(Parallel.threads() >= 2, "needs 2 threads to train side by side");
        assertTrue(be.concurrentCallers());
        List<MlpRunSpec> specs = specs();
        alone(specs, tmp.resolve("alone"));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<MlpRunResult> results = SweepRunner.run(specs, small, tmp.resolve("sweep"), be,
                new PrintStream(text, true, StandardCharsets.UTF_8), true);
        String log = text.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains(", " + Math.min(Parallel.threads(), specs.size()) + " at a time)"), log);
        assertEquals(specs.size(), results.size());
        for (int i = 0; i < specs.size(); i++) assertEquals(specs.get(i).runId(), results.get(i).runId(), "results in spec order");
        assertSameRuns(specs, tmp.resolve("alone"), tmp.resolve("sweep"));
    }

    @Test void aStopEndsTheRunsUnderWayAndASecondSweepResumesThemBitwise() throws IOException {
        assumeTrue(Parallel.threads() >= 2, "needs 2 threads to train side by side");
        List<MlpRunSpec> specs = specs().subList(0, 4);
        alone(specs, tmp.resolve("alone"));
        Path out = tmp.resolve("sweep");
        StopFlag stop = new StopFlag();
        ProgressListener raiser = new ProgressListener() { // raise the stop in the middle of epoch 2 of the first run
            @Override public void step(MlpRunSpec spec, int epoch, int step, int steps) {
                if (spec.equals(specs.get(0)) && epoch == 2 && step == 3) stop.request("test");
            }
        };
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        RunStoppedException e = assertThrows(RunStoppedException.class,
                () -> SweepRunner.run(specs, small, out, be, quiet, raiser, stop));
        assertEquals(specs.get(0).runId(), e.runId(), "the earliest run's stop is reported");
        assertFalse(Files.exists(out.resolve(specs.get(0).runId()).resolve(MlpExperiment.RESULT)));
        assertFalse(Files.exists(out.resolve(specs.get(3).runId())), "no run starts after the stop");

        SweepRunner.run(specs, small, out, be, quiet, false, new StopFlag());
        assertSameRuns(specs, tmp.resolve("alone"), out);
    }
}
