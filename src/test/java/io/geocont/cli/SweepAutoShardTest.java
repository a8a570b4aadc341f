package io.geocont.cli;

import io.geocont.cluster.ShardRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** sweep --shard auto in-process with a given environment: the Kubernetes index, {shard} in --out, and the error without an array. */
class SweepAutoShardTest {
    @TempDir Path tmp;

    static SweepCommandTest.Result run(Map<String, String> env, String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        StringWriter picoErr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            var cl = Main.commandLine();
            var sweep = cl.getSubcommands().get("sweep");
            ((SweepCommand) sweep.getCommand()).env = env;
            sweep.setErr(new PrintWriter(picoErr, true));
            int rc = cl.execute(args);
            return new SweepCommandTest.Result(rc, out.toString(), err + picoErr.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    String[] sweep(String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep"));
        a.addAll(List.of(SweepCommandTest.TINY));
        a.addAll(List.of("--out", tmp.resolve("out").resolve("shards").resolve("{shard}").toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test void kubernetesIndexPicksTheShardAndFillsTheFolder() throws Exception {
        var r = run(Map.of("JOB_COMPLETION_INDEX", "1", "HOSTNAME", "geocont-sweep-1-abcde"), sweep("--shard", "auto", "--shards", "2"));
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.err().contains("shard 2/2 (JOB_COMPLETION_INDEX=1 of 2 (--shards)) takes 2 of 4 runs"), r.err());
        Path dir = tmp.resolve("out").resolve("shards").resolve("2");
        assertEquals(List.of("nores-relu-sgd-s1", "res-relu-sgd-s1"), SweepCommandTest.runFolders(dir));
        ShardRecord rec = ShardRecord.read(dir);
        assertEquals(ShardRecord.DONE, rec.state());
        assertEquals(0, rec.exitCode());
        assertEquals("Kubernetes pod geocont-sweep-1-abcde", rec.where());
        assertFalse(Files.exists(tmp.resolve("out").resolve("shards").resolve("{shard}")));
    }

    @Test void autoWithoutAnArraySaysWhatToSet() {
        var r = run(Map.of(), sweep("--shard", "auto"));
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("SLURM_ARRAY_TASK_ID") && r.err().contains("JOB_COMPLETION_INDEX") && r.err().contains("GEOCONT_SHARD_COUNT"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        var k = run(Map.of("JOB_COMPLETION_INDEX", "0"), sweep("--shard", "auto"));
        assertEquals(2, k.rc());
        assertTrue(k.err().contains("--shards N or set GEOCONT_SHARD_COUNT"), k.err());
        assertEquals(2, run(Map.of(), sweep("--shards", "2")).rc(), "--shards without --shard auto");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written after a bad setting");
    }

    @Test void aFailingShardSaysSoInItsRecord() throws Exception {
        // a run folder holding another grid's finished result makes this shard fail
        var ok = run(Map.of(), sweep("--shard", "1/2"));
        assertEquals(0, ok.rc(), ok.err());
        Path dir = tmp.resolve("out").resolve("shards").resolve("1");
        Path result = dir.resolve("res-relu-sgd-s0").resolve("result.json");
        Files.writeString(result, Files.readString(result).replaceFirst("\"lr\" : [0-9.eE-]+", "\"lr\" : 0.5"));
        Files.delete(dir.resolve("nores-relu-sgd-s0").resolve("result.json"));
        var bad = run(Map.of(), sweep("--shard", "1/2"));
        assertEquals(1, bad.rc(), bad.err());
        ShardRecord rec = ShardRecord.read(dir);
        assertEquals(ShardRecord.FAILED, rec.state());
        assertTrue(rec.message().contains("other settings"), rec.message());
    }
}
