package io.geocont.cluster;

import io.geocont.experiments.Shard;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** --shard auto from Slurm's and Kubernetes' variables; every wrong or missing setting is one clear message. */
class ShardResolverTest {
    static Shard auto(Integer count, String... kv) {
        return ShardResolver.resolve("auto", count, env(kv)).shard();
    }

    static Map<String, String> env(String... kv) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static String error(Integer count, String... kv) {
        return assertThrows(IllegalArgumentException.class, () -> ShardResolver.resolve("auto", count, env(kv))).getMessage();
    }

    @Test void slurmArrayPositionIsTheShard() {
        assertEquals(new Shard(1, 4), auto(null, "SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "4"));
        assertEquals(new Shard(4, 4), auto(null, "SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_MAX", "3"));
        // --array=0-15:4 -> ids 0,4,8,12
        assertEquals(new Shard(3, 4), auto(null, "SLURM_ARRAY_TASK_ID", "8", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_MAX", "12",
                "SLURM_ARRAY_TASK_STEP", "4", "SLURM_ARRAY_TASK_COUNT", "4"));
        var r = ShardResolver.resolve("auto", 4, env("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "4",
                "SLURM_ARRAY_TASK_MAX", "4"));
        assertEquals(new Shard(2, 4), r.shard());
        assertEquals("SLURM_ARRAY_TASK_ID=2 of 1-4", r.source());
    }

    @Test void kubernetesIndexWithCountFromFlagOrVariable() {
        assertEquals(new Shard(1, 3), auto(3, "JOB_COMPLETION_INDEX", "0"));
        assertEquals(new Shard(3, 3), auto(null, "JOB_COMPLETION_INDEX", "2", "GEOCONT_SHARD_COUNT", "3"));
        assertEquals(new Shard(2, 5), auto(5, "JOB_COMPLETION_INDEX", "1", "GEOCONT_SHARD_COUNT", "5"));
        assertTrue(ShardResolver.resolve("auto", null, env("JOB_COMPLETION_INDEX", "2", "GEOCONT_SHARD_COUNT", "3")).source()
                .contains("GEOCONT_SHARD_COUNT"));
    }

    @Test void nothingSetSaysWhatToSet() {
        String m = error(null);
        for (String v : new String[]{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MAX",
                "JOB_COMPLETION_INDEX", "--shards N", "GEOCONT_SHARD_COUNT", "--shard i/N"})
            assertTrue(m.contains(v), v + " missing from: " + m);
        assertEquals(m, error(null, "SLURM_JOB_ID", "77"), "a plain (non-array) Slurm job is no array");
    }

    @Test void incompleteOrInconsistentSettingsAreErrors() {
        assertTrue(error(null, "JOB_COMPLETION_INDEX", "1").contains("--shards N or set GEOCONT_SHARD_COUNT"));
        assertTrue(error(2, "JOB_COMPLETION_INDEX", "2").contains("outside 0..1"));
        assertTrue(error(null, "JOB_COMPLETION_INDEX", "x", "GEOCONT_SHARD_COUNT", "2").contains("JOB_COMPLETION_INDEX='x' is not a whole number"));
        assertTrue(error(3, "JOB_COMPLETION_INDEX", "0", "GEOCONT_SHARD_COUNT", "4").contains("disagree"));
        assertTrue(error(0, "JOB_COMPLETION_INDEX", "0").contains("--shards must be >= 1"));
        assertTrue(error(null, "SLURM_ARRAY_TASK_ID", "2").contains("SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT"));
        assertTrue(error(null, "SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "4").contains("not in the array 1..4"));
        assertTrue(error(null, "SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "7",
                "SLURM_ARRAY_TASK_COUNT", "3").contains("not one contiguous range"));
        assertTrue(error(8, "SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "4")
                .contains("--shards says 8 shards but this Slurm array has 4 tasks"));
    }

    @Test void explicitAndAbsentShards() {
        assertEquals(Shard.ALL, ShardResolver.resolve(null, null, env("SLURM_ARRAY_TASK_ID", "3")).shard(), "no --shard: everything");
        assertEquals(new Shard(2, 8), ShardResolver.resolve("2/8", null, env("SLURM_ARRAY_TASK_ID", "3")).shard(), "i/N wins over the environment");
        assertEquals(new Shard(1, 2), ShardResolver.resolve(" AUTO ", null, env("JOB_COMPLETION_INDEX", "0", "GEOCONT_SHARD_COUNT", "2")).shard());
        assertThrows(IllegalArgumentException.class, () -> ShardResolver.resolve(null, 4, env()));
        assertThrows(IllegalArgumentException.class, () -> ShardResolver.resolve("1/2", 4, env()));
        assertThrows(IllegalArgumentException.class, () -> ShardResolver.resolve("bogus", null, env()));
    }
}
