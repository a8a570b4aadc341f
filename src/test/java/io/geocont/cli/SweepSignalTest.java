package io.geocont.cli;

import io.geocont.cluster.ShardRecord;
import io.geocont.train.MlpState;
import io.geocont.train.RunCheckpoint;
import io.geocont.train.MlpExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The preemption path with real signals: {@code geocont sweep --shard auto} runs in a child JVM as
 * a Slurm array task would (SLURM_ARRAY_TASK_* set, --out .../{shard}); SIGUSR1 and then SIGTERM
 * arrive in the middle of training. Each time the task exits with status 75, its checkpoint holds
 * the step where it stopped and shard.json says "stopped"; the requeued task (the same command
 * again) resumes inside that epoch, and the finished run equals an uninterrupted one bitwise.
 */
class SweepSignalTest {
    static final String[] GRID = {"--width", "64", "--depth", "4", "--epochs", "8", "--seeds", "1", "--variants", "res-relu,res-gelu",
            "--limit-train", "3000", "--limit-test", "300", "--backend", "cpu"};
    static final Map<String, String> SLURM = Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "1",
            "SLURM_ARRAY_TASK_COUNT", "2", "SLURM_ARRAY_JOB_ID", "41", "SLURM_JOB_ID", "43");
    static final Pattern RESUMED = Pattern.compile("resuming inside epoch (\\d+) at step (\\d+) of (\\d+)");

    @TempDir Path tmp;

    /** A child JVM running the CLI, stderr+stdout into a file. */
    Process start(Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                "-Xmx1g", "-cp", cp, "io.geocont.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(SLURM);
        return pb.start();
    }

    String[] sweep(Path out) {
        List<String> a = new ArrayList<>(List.of("sweep", "--shard", "auto"));
        a.addAll(List.of(GRID));
        a.addAll(List.of("--out", out.resolve("shards").resolve("{shard}").toString()));
        return a.toArray(String[]::new);
    }

    /** Waits until the run has logged {@code lines} epochs, then sends {@code signal}; returns the epochs logged at that moment. */
    static int signalAfter(Process p, Path runLog, int lines, String signal) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (logLines(runLog) < lines) {
            assertTrue(p.isAlive(), "the task ended before it could be signalled");
            assertTrue(System.nanoTime() < deadline, "no progress in " + runLog);
            Thread.sleep(10);
        }
        int logged = logLines(runLog);
        if (signal.equals("TERM")) p.destroy(); // SIGTERM on Unix
        else assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        return logged;
    }

    static int logLines(Path log) throws IOException {
        try {
            return Files.isRegularFile(log) ? Files.readAllLines(log).size() : 0;
        } catch (java.nio.charset.MalformedInputException | java.nio.file.NoSuchFileException e) {
            return 0; // caught mid-rename
        }
    }

    @Test void signalledTaskCheckpointsExits75AndTheRequeuedTaskResumesBitwise() throws Exception {
        Path out = tmp.resolve("out"), shard = out.resolve("shards").resolve("2");
        Path run = shard.resolve("res-relu-sgd-s0"), runLog = run.resolve(MlpExperiment.LOG);

        int resumedEpoch = -1;
        String[] signals = {"USR1", "TERM"};
        for (int round = 0; round < signals.length; round++) {
            Path log = tmp.resolve("task" + round + ".log");
            Process p = start(log, sweep(out));
            int logged = signalAfter(p, runLog, round == 0 ? 2 : Math.max(logLines(runLog) + 1, 2), signals[round]);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            String text = Files.readString(log);
            assertEquals(75, p.exitValue(), text);
            assertTrue(text.contains("SIG" + signals[round]) && text.contains("exit status 75"), text);
            assertTrue(text.contains("SLURM_ARRAY_TASK_ID=2 of 1-2"), text);
            if (round > 0) assertTrue(RESUMED.matcher(text).find() || text.contains("resuming at epoch"), text);
            RunCheckpoint.Loaded<MlpState> ck = RunCheckpoint.read(run.resolve(MlpExperiment.CHECKPOINT), MlpState.class);
            assertNotNull(ck.state().partial(), "stopped between two steps, not at an epoch's end");
            assertTrue(ck.state().partial().epoch() >= logged, "the epoch in progress when the signal came is kept: stopped in "
                    + ck.state().partial().epoch() + ", " + logged + " epochs (0.." + (logged - 1) + ") logged at the signal");
            resumedEpoch = ck.state().partial().epoch();
            ShardRecord rec = ShardRecord.read(shard);
            assertEquals(ShardRecord.STOPPED, rec.state());
            assertEquals(75, rec.exitCode());
            assertEquals("2/2", rec.shard());
            assertEquals(List.of("res-relu-sgd-s0"), rec.runs());
            assertTrue(rec.where().contains("Slurm job 41_2"), rec.where());
            assertFalse(Files.exists(run.resolve(MlpExperiment.RESULT)));
        }

        Path log = tmp.resolve("final.log");
        Process p = start(log, sweep(out));
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        String text = Files.readString(log);
        assertEquals(0, p.exitValue(), text);
        Matcher m = RESUMED.matcher(text);
        assertTrue(m.find(), text);
        assertEquals(resumedEpoch, Integer.parseInt(m.group(1)), "resumed inside the epoch where it stopped: at most one epoch lost (in fact none)");
        assertEquals(ShardRecord.DONE, ShardRecord.read(shard).state());
        assertEquals(9, Files.readAllLines(runLog).size(), "epochs 0..8, each once");

        // the same run straight through, in this JVM
        List<String> a = new ArrayList<>(List.of("sweep", "--shard", "2/2"));
        a.addAll(List.of(GRID));
        a.addAll(List.of("--out", tmp.resolve("straight").toString(), "--quiet"));
        assertEquals(0, SweepCommandTest.run(a.toArray(String[]::new)).rc());
        Path ref = tmp.resolve("straight").resolve("res-relu-sgd-s0");
        var want = RunCheckpoint.read(ref.resolve(MlpExperiment.CHECKPOINT), MlpState.class).arrays();
        var got = RunCheckpoint.read(run.resolve(MlpExperiment.CHECKPOINT), MlpState.class).arrays();
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) assertArrayEquals(want.get(k), got.get(k), k + ": stopped twice by signals vs straight through");
        assertSameRecords(Files.readAllLines(ref.resolve(MlpExperiment.LOG)), Files.readAllLines(runLog));
    }

    /**
     * Training numbers (losses, accuracies, gradient norms) bitwise; the SVD-based metrics to 1e-7,
     * since their Vector-API reductions may add in another order before and after the JIT compiles
     * them, and the child JVMs here were stopped while still cold (the parameters above are bitwise).
     * Drift angles to 1e-5 degrees: arccos near |cos| = 1 turns a 1e-16 change into about 1e-6 degrees
     * (epoch 1's drift is 0 in exact arithmetic and ~2e-6 degrees here).
     */
    static double tolerance(String key) {
        return key.startsWith("drift") ? 1e-5 : 1e-7;
    }

    static void assertSameRecords(List<String> want, List<String> got) throws IOException {
        assertEquals(want.size(), got.size());
        var json = io.geocont.io.AtomicFiles.json();
        for (int i = 0; i < want.size(); i++) {
            var a = json.readTree(want.get(i));
            var b = json.readTree(got.get(i));
            for (var it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.endsWith("seconds")) continue;
                var x = a.get(k);
                var y = b.get(k);
                if (List.of("train_loss", "train_acc", "test_loss", "test_acc", "grad_norm_mean", "clipped_fraction").contains(k)) {
                    assertEquals(x, y, "epoch " + i + " " + k);
                } else if (x.isArray()) {
                    assertEquals(x.size(), y.size(), k);
                    for (int j = 0; j < x.size(); j++) assertEquals(x.get(j).asDouble(), y.get(j).asDouble(), tolerance(k), "epoch " + i + " " + k + "[" + j + "]");
                } else if (x.isNumber()) {
                    assertEquals(x.asDouble(), y.asDouble(), tolerance(k), "epoch " + i + " " + k);
                } else {
                    assertEquals(x, y, "epoch " + i + " " + k);
                }
            }
        }
    }
}
