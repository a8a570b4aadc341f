package io.geocont.train;

import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.data.Split;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A StopFlag raised mid-epoch (what the SIGTERM/SIGUSR1 handler does) stops the run after the
 * step in progress with a checkpoint of that very point; running it again resumes at the next
 * step (no epoch lost) and ends bitwise equal to an uninterrupted run.
 */
class StopAndResumeTest {
    static Backend be;
    static Split small;

    @TempDir Path tmp;

    @BeforeAll static void setUp() throws IOException {
        be = Backends.open("cpu", null);
        small = MlpExperimentTest.smallSplit();
    }

    @AfterAll static void tearDown() { be.close(); }

    /** Raises the flag after step {@code step} (1-based) of epoch {@code epoch}, like a signal arriving during that step. */
    record RaiseAt(StopFlag flag, int epoch, int step) implements ProgressListener {
        @Override public void step(MlpRunSpec spec, int e, int s, int steps) {
            if (e == epoch && s == step) flag.request("SIGTERM");
        }
    }

    /** Records where a run resumed. */
    static final class Resumes implements ProgressListener {
        final List<String> seen = new ArrayList<>();
        @Override public void started(MlpRunSpec spec, int start, int epochs) { seen.add("start " + start); }
        @Override public void resumedWithinEpoch(MlpRunSpec spec, int epoch, int step, int steps) {
            seen.add("inside " + epoch + " at " + step + "/" + steps);
        }
    }

    @Test void stopMidEpochWritesThatPointAndResumesBitwise() throws IOException {
        MlpRunSpec spec = MlpExperimentTest.spec(3);
        MlpRunResult straight = MlpExperiment.run(spec, small, tmp.resolve("a"), be, ProgressListener.NONE);

        Path dir = tmp.resolve("b");
        StopFlag flag = new StopFlag();
        RunStoppedException stopped = assertThrows(RunStoppedException.class,
                () -> MlpExperiment.run(spec, small, dir, be, new RaiseAt(flag, 2, 4), flag));
        assertEquals(2, stopped.epoch());
        assertEquals(4, stopped.nextStep(), "the step in progress finished, nothing after it ran");
        assertEquals(10, stopped.steps());
        assertTrue(stopped.getMessage().contains("SIGTERM"), stopped.getMessage());
        assertFalse(Files.exists(dir.resolve(MlpExperiment.RESULT)));

        RunCheckpoint.Loaded<MlpState> ck = RunCheckpoint.read(dir.resolve(MlpExperiment.CHECKPOINT), MlpState.class);
        assertEquals(1, ck.state().epoch(), "epochs 0 and 1 complete");
        assertNotNull(ck.state().partial());
        assertEquals(2, ck.state().partial().epoch());
        assertEquals(4, ck.state().partial().nextStep());
        assertEquals(10 + 4, ck.state().optimizerStep(), "optimizer stopped after 14 steps");
        assertTrue(ck.arrays().containsKey(io.geocont.monitor.ContinuityMonitor.G_SINCE), "the epoch's gradient sum so far is kept");

        Resumes resumes = new Resumes();
        MlpRunResult again = MlpExperiment.run(spec, small, dir, be, resumes, new StopFlag());
        assertEquals(List.of("start 1", "inside 2 at 4/10"), resumes.seen, "resumed at the next step, no epoch lost");
        assertSameRun(straight, again, tmp.resolve("a"), dir);
    }

    @Test void stoppedTwiceAndAtAnEpochBoundaryStillEndsBitwise() throws IOException {
        MlpRunSpec spec = MlpExperimentTest.spec(3);
        MlpRunResult straight = MlpExperiment.run(spec, small, tmp.resolve("a"), be, ProgressListener.NONE);
        Path dir = tmp.resolve("c");
        StopFlag first = new StopFlag();
        assertThrows(RunStoppedException.class, () -> MlpExperiment.run(spec, small, dir, be, new RaiseAt(first, 1, 10), first));
        // stopped after the last step of epoch 1: epoch 1's record is still written before the stop is seen
        assertEquals(2, Files.readAllLines(dir.resolve(MlpExperiment.LOG)).size(), "epochs 0 and 1 logged");
        StopFlag second = new StopFlag();
        RunStoppedException s2 = assertThrows(RunStoppedException.class,
                () -> MlpExperiment.run(spec, small, dir, be, new RaiseAt(second, 3, 1), second));
        assertEquals(3, s2.epoch());
        assertEquals(1, s2.nextStep());
        MlpRunResult again = MlpExperiment.run(spec, small, dir, be, ProgressListener.NONE);
        assertSameRun(straight, again, tmp.resolve("a"), dir);
    }

    @Test void aFlagRaisedBeforeTrainingStopsBeforeTheFirstStep() throws IOException {
        MlpRunSpec spec = MlpExperimentTest.spec(2);
        StopFlag flag = new StopFlag();
        flag.request("SIGUSR1");
        flag.request("SIGTERM");
        assertEquals("SIGUSR1", flag.reason(), "the first reason is kept");
        Path dir = tmp.resolve("d");
        RunStoppedException s = assertThrows(RunStoppedException.class, () -> MlpExperiment.run(spec, small, dir, be, null, flag));
        assertEquals(1, s.epoch());
        assertEquals(0, s.nextStep());
        MlpRunResult r = MlpExperiment.run(spec, small, dir, be, null, null);
        assertEquals(3, r.epochs().size());
        MlpRunResult straight = MlpExperiment.run(spec, small, tmp.resolve("e"), be, ProgressListener.NONE);
        assertSameRun(straight, r, tmp.resolve("e"), dir);
    }

    private static void assertSameRun(MlpRunResult a, MlpRunResult b, Path dirA, Path dirB) throws IOException {
        assertEquals(a.epochs().size(), b.epochs().size());
        for (int e = 0; e < a.epochs().size(); e++) MlpExperimentTest.assertSameNumbers(a.epochs().get(e), b.epochs().get(e));
        var ca = RunCheckpoint.read(dirA.resolve(MlpExperiment.CHECKPOINT), MlpState.class);
        var cb = RunCheckpoint.read(dirB.resolve(MlpExperiment.CHECKPOINT), MlpState.class);
        assertNull(cb.state().partial(), "the finished run's checkpoint is an epoch-end one");
        assertEquals(ca.arrays().keySet(), cb.arrays().keySet());
        for (String k : ca.arrays().keySet()) assertArrayEquals(ca.arrays().get(k), cb.arrays().get(k), k + " bitwise equal after resume");
        assertEquals(Files.readAllLines(dirA.resolve(MlpExperiment.LOG)).size(), Files.readAllLines(dirB.resolve(MlpExperiment.LOG)).size());
    }
}
