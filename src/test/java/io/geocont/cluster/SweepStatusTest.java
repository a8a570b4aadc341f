package io.geocont.cluster;

import io.geocont.train.MlpState;
import io.geocont.train.RunCheckpoint;
import io.geocont.train.MlpExperiment;
import io.geocont.train.PartialEpoch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Listing what is missing or failed in a sharded results folder: done, stopped partway (with the
 * checkpoint's epoch and step), failed (with the task's message), never started, killed without a
 * word; merged runs count as done; shard folders from another shard count are refused.
 */
class SweepStatusTest {
    @TempDir Path tmp;

    static final List<String> RUNS = List.of("a-s0", "a-s1", "b-s0", "b-s1", "c-s0", "c-s1", "d-s0", "d-s1");  // 4 shards: a-s0,b-s1... round robin

    void done(Path dir, String run) throws Exception {
        Files.createDirectories(dir.resolve(run));
        Files.writeString(dir.resolve(run).resolve(MlpExperiment.RESULT), "{}");
    }

    void partial(Path dir, String run) throws Exception {
        Files.createDirectories(dir.resolve(run));
        var state = new MlpState(run, Map.of("epochs", 10), 2, 200, 1L, 3.0, null, List.of(),
                new PartialEpoch(3, 40, 79, 7L, 1, 2, 3, 0, 1.0));
        RunCheckpoint.write(dir.resolve(run).resolve(MlpExperiment.CHECKPOINT), state, Map.of());
    }

    void record(Path out, int i, String state, Integer exit, String msg, List<String> runs) throws Exception {
        new ShardRecord(i + "/4", state, exit, msg, "test", "Slurm job 9_" + i + " on node" + i, "t0", "t1", runs)
                .write(Files.createDirectories(ShardLayout.shardDir(out, i)));
    }

    @Test void listsEveryKindOfUnfinishedShardAndRun() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        // shard j%4+1 owns runs j: shard 1 = a-s0, c-s0; 2 = a-s1, c-s1; 3 = b-s0, d-s0; 4 = b-s1, d-s1
        record(out, 1, ShardRecord.DONE, 0, null, List.of("a-s0", "c-s0"));
        done(ShardLayout.shardDir(out, 1), "a-s0");
        done(ShardLayout.shardDir(out, 1), "c-s0");
        record(out, 2, ShardRecord.STOPPED, 75, "a-s1 stopped (SIGUSR1) in epoch 3", List.of("a-s1", "c-s1"));
        partial(ShardLayout.shardDir(out, 2), "a-s1");
        record(out, 3, ShardRecord.FAILED, 2, "data has 784 inputs per sample, the model expects 100", List.of("b-s0", "d-s0"));
        // shard 4: never started

        SweepStatus.Report r = SweepStatus.scan(out, RUNS, null);
        assertEquals(4, r.shards(), "count taken from the shard records");
        assertFalse(r.complete());
        assertEquals(2, r.count(SweepStatus.RunState.DONE));
        assertEquals(1, r.count(SweepStatus.RunState.PARTIAL));
        assertEquals(5, r.count(SweepStatus.RunState.MISSING));
        assertEquals(List.of(2, 3, 4), r.unfinishedShards());
        assertEquals(List.of("done", "stopped", "FAILED", "not started"), r.shardList().stream().map(SweepStatus.ShardStatus::state).toList());

        String text = SweepStatus.format(r);
        assertTrue(text.contains("8 runs in 4 shards: 2 done, 1 partway, 5 not started"), text);
        assertTrue(text.matches("(?s).*2/4 +stopped +0/2 +exit 75, resumes when requeued: a-s1 stopped \\(SIGUSR1\\).*"), text);
        assertTrue(text.matches("(?s).*3/4 +FAILED +0/2 +exit 2: data has 784 inputs.*Slurm job 9_3 on node3.*"), text);
        assertTrue(text.matches("(?s).*4/4 +not started +0/2 +no folder .*shards/4.*"), text);
        assertTrue(text.contains("a-s1                         shard 2/4  checkpoint: epoch 2 of 10 done, stopped inside epoch 3 at step 41 of 79"), text);
        assertTrue(text.contains("d-s1                         shard 4/4  not started"), text);
        assertTrue(text.contains("shards [2, 3, 4] resume from their checkpoints"), text);
        assertFalse(text.contains("c-s0"), "finished runs are not listed as missing");
    }

    @Test void aTaskKilledWithoutAWordShowsAsRunningAndMergedRunsAreDone() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        record(out, 1, ShardRecord.RUNNING, null, null, List.of());
        for (String run : RUNS) if (!run.equals("a-s0")) done(out, run);   // merged already, all but one
        SweepStatus.Report r = SweepStatus.scan(out, RUNS, 4);
        assertEquals("running?", r.shardList().get(0).state());
        assertTrue(r.shardList().get(0).detail().contains("killed without a word"), r.shardList().get(0).detail());
        assertEquals("done", r.shardList().get(1).state(), "no folder, but its runs are merged: done");
        done(out, "a-s0");
        SweepStatus.Report all = SweepStatus.scan(out, RUNS, 4);
        assertTrue(all.complete());
        assertTrue(SweepStatus.format(all).contains("every run is done and merged into " + out), SweepStatus.format(all));
    }

    @Test void unshardedFolderAndContradictions() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("plain"));
        done(out, "a-s0");
        partial(out, "a-s1");
        SweepStatus.Report r = SweepStatus.scan(out, RUNS, null);
        assertEquals(1, r.shards());
        assertTrue(r.shardList().isEmpty());
        assertTrue(SweepStatus.format(r).contains("to finish: run the same sweep again"), SweepStatus.format(r));

        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        record(mixed, 1, ShardRecord.DONE, 0, null, List.of());
        new ShardRecord("2/3", ShardRecord.DONE, 0, null, null, null, null, null, List.of()).write(Files.createDirectories(ShardLayout.shardDir(mixed, 2)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepStatus.scan(mixed, RUNS, null)).getMessage().contains("say which with --shards N"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepStatus.scan(mixed, RUNS, 4)).getMessage().contains("is shard 2/3, not 2/4"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SweepStatus.scan(tmp.resolve("nope"), RUNS, null));
    }
}
