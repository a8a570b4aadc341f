package io.geocont.cli;

import io.geocont.train.MlpExperiment;
import io.geocont.train.MlpState;
import io.geocont.train.RunCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code reproduce table1} stopped by SIGTERM in the middle of training (a preempted job): the
 * step in progress finishes, the run is checkpointed at that step, the command exits 75 and says
 * how to continue; the same command again resumes inside that epoch and finishes the table.
 * Before, only {@code sweep} trapped signals and a stopped {@code reproduce} lost its epoch.
 */
class ReproduceSignalTest {
    @TempDir Path tmp;

    @Test void terminatedReproduceCheckpointsExits75AndResumes() throws Exception {
        Path out = tmp.resolve("out"), run = out.resolve("res-relu-sgd-s0"), runLog = run.resolve(MlpExperiment.LOG);
        List<String> args = new ArrayList<>(List.of("reproduce", "table1"));
        args.addAll(List.of(SweepSignalTest.GRID));
        args.set(args.indexOf("res-relu,res-gelu"), "res-relu");
        args.addAll(List.of("--out", out.toString()));
        SweepSignalTest launcher = new SweepSignalTest();

        Path log = tmp.resolve("stopped.log");
        Process p = launcher.start(log, args.toArray(String[]::new));
        int logged = SweepSignalTest.signalAfter(p, runLog, 2, "TERM");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(log);
        assertEquals(75, p.exitValue(), text);
        assertTrue(text.contains("reproduce:") && text.contains("exit status 75") && text.contains("run the same command again"), text);
        RunCheckpoint.Loaded<MlpState> ck = RunCheckpoint.read(run.resolve(MlpExperiment.CHECKPOINT), MlpState.class);
        assertNotNull(ck.state().partial(), "stopped between two steps, not at an epoch's end");
        assertTrue(ck.state().partial().epoch() >= logged, "the epoch in progress when the signal came is kept");
        assertFalse(Files.exists(out.resolve("table1.csv")), "no table from a stopped grid");

        Path again = tmp.resolve("resumed.log");
        Process q = launcher.start(again, args.toArray(String[]::new));
        assertTrue(q.waitFor(180, TimeUnit.SECONDS));
        String resumed = Files.readString(again);
        assertEquals(0, q.exitValue(), resumed);
        assertTrue(SweepSignalTest.RESUMED.matcher(resumed).find(), resumed);
        assertTrue(Files.exists(out.resolve("table1.csv")), resumed);
        assertEquals(9, Files.readAllLines(runLog).size(), "epochs 0..8, each once");
    }
}
