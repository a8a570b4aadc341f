package io.geocont.cli;

import io.geocont.train.MlpExperiment;
import io.geocont.train.RunLog;
import io.geocont.train.TransformerRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code geocont mlp} and {@code geocont transformer} stopped by SIGTERM mid-run: the step in
 * progress finishes, the run checkpoints, the command exits 75 saying how to continue, and
 * continuing finishes the run (the same trap as sweep and reproduce, one place: StopSignalled).
 */
class TrainingCommandSignalTest {
    @TempDir Path tmp;
    final SweepSignalTest launcher = new SweepSignalTest();

    @Test void terminatedMlpExits75AndTheSameCommandFinishesIt() throws Exception {
        Path out = tmp.resolve("out"), runLog = out.resolve("res-relu-sgd-s0").resolve(MlpExperiment.LOG);
        String[] args = {"mlp", "--width", "64", "--depth", "4", "--epochs", "8", "--backend", "cpu", "--out", out.toString()};
        Process p = launcher.start(tmp.resolve("stopped.log"), args);
        SweepSignalTest.signalAfter(p, runLog, 2, "TERM");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(tmp.resolve("stopped.log"));
        assertEquals(75, p.exitValue(), text);
        assertTrue(text.contains("mlp:") && text.contains("exit status 75") && text.contains("run the same command again"), text);
        assertFalse(Files.exists(runLog.resolveSibling(MlpExperiment.RESULT)));

        Process q = launcher.start(tmp.resolve("resumed.log"), args);
        assertTrue(q.waitFor(180, TimeUnit.SECONDS));
        String resumed = Files.readString(tmp.resolve("resumed.log"));
        assertEquals(0, q.exitValue(), resumed);
        assertTrue(SweepSignalTest.RESUMED.matcher(resumed).find(), resumed);
        assertEquals(9, Files.readAllLines(runLog).size(), "epochs 0..8, each once");
    }

    @Test void terminatedTransformerExits75AndResumeFinishesIt() throws Exception {
        Path out = tmp.resolve("tfm"), log = out.resolve(RunLog.FILE);
        List<String> base = List.of("transformer", "--d-model", "32", "--layers", "2", "--heads", "2", "--d-ff", "64", "--seq", "16",
                "--batch", "8", "--steps", "1500", "--log-every", "5", "--eval-every", "500", "--eval-batches", "1",
                "--checkpoint-every", "1000", "--backend", "cpu", "--out", out.toString());
        Process p = launcher.start(tmp.resolve("tfm-stopped.log"), base.toArray(String[]::new));
        SweepSignalTest.signalAfter(p, log, 4, "TERM");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(tmp.resolve("tfm-stopped.log"));
        assertEquals(75, p.exitValue(), text);
        assertTrue(text.contains("transformer:") && text.contains("exit status 75") && text.contains("--resume"), text);
        assertTrue(Files.exists(out.resolve(TransformerRun.CHECKPOINT)), "checkpoint written at the step where it stopped");
        assertFalse(Files.exists(out.resolve(TransformerRun.RESULT)));

        List<String> again = new java.util.ArrayList<>(base);
        again.add("--resume");
        Process q = launcher.start(tmp.resolve("tfm-resumed.log"), again.toArray(String[]::new));
        assertTrue(q.waitFor(180, TimeUnit.SECONDS));
        String resumed = Files.readString(tmp.resolve("tfm-resumed.log"));
        assertEquals(0, q.exitValue(), resumed);
        assertTrue(Files.exists(out.resolve(TransformerRun.RESULT)) || Files.exists(out.resolve("fig3.json")), resumed);
    }
}
