package io.geocont.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * geocont cluster slurm|kubernetes|status from the command line: the grid options the user gave
 * reach every task, bad settings are one-line errors (exit 2), and status follows a sharded
 * sweep from nothing to merged (exit 1 while anything is missing, 0 after).
 */
class ClusterCommandTest {
    @TempDir Path tmp;

    static String[] with(String cmd, String... extra) {
        List<String> a = new ArrayList<>(List.of(cmd.split(" ")));
        a.addAll(List.of(SweepCommandTest.TINY));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test void slurmScriptsCarryTheGridAndTheResources() throws Exception {
        Path out = tmp.resolve("res"), dir = tmp.resolve("scripts");
        var r = SweepCommandTest.run(with("cluster slurm", "--out", out.toString(), "--shards", "2", "--partition", "short", "--time", "1:00:00",
                "--mem", "2G", "--gpus", "1", "--script-dir", dir.toString()));
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("2 array tasks for 4 runs (at most 2 per task)"), r.out());
        assertTrue(r.out().contains("submit:  bash " + dir.resolve("submit.sh")), r.out());
        String array = Files.readString(dir.resolve("sweep.sbatch"));
        assertTrue(array.contains("#SBATCH --array=1-2\n") && array.contains("#SBATCH --partition=short\n")
                && array.contains("#SBATCH --time=1:00:00\n") && array.contains("#SBATCH --gres=gpu:1\n"), array);
        assertTrue(array.contains("GEOCONT=(geocont)"), "outside a jar the PATH's geocont: " + array);
        assertTrue(array.contains(" sweep --shard auto --width 8 --depth 3 --epochs 1 --seeds 2 --variants res-relu,nores-relu --limit-train 256 "
                + "--limit-test 128 --quiet --backend cpu --out \"$OUT/shards/{shard}\""), array);
        assertTrue(array.contains("OUT=" + out + "\n"), array);
        String merge = Files.readString(dir.resolve("merge.sbatch"));
        assertTrue(merge.contains("cluster status --width 8") && !merge.contains("--backend"), merge);

        var jar = SweepCommandTest.run(with("cluster slurm", "--out", out.toString(), "--geocont", "/opt/bin/geocont --flag", "--script-dir", dir.toString()));
        assertEquals(0, jar.rc(), jar.err());
        assertTrue(Files.readString(dir.resolve("sweep.sbatch")).contains("GEOCONT=(/opt/bin/geocont --flag)"));
        assertTrue(Files.readString(dir.resolve("sweep.sbatch")).contains("#SBATCH --array=1-4\n"), "one task per run by default");
    }

    @Test void badSettingsAreOneLineErrors() {
        for (String[] bad : new String[][]{{"--time", "2h"}, {"--mem", "lots"}, {"--shards", "9"}, {"--gpu-type", "a100"},
                {"--signal-lead", "-1"}, {"--job-name", "has space"}}) {
            var r = SweepCommandTest.run(with("cluster slurm", "--out", tmp.resolve("o").toString(), bad[0], bad[1]));
            assertEquals(2, r.rc(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().contains("geocont slurm: error: "), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        var k = SweepCommandTest.run(with("cluster kubernetes", "--pvc", "results"));
        assertEquals(2, k.rc());
        assertTrue(k.err().contains("--image"), k.err());
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written");
    }

    @Test void kubernetesManifestsLandOnTheVolume() throws Exception {
        var r = SweepCommandTest.run(with("cluster k8s", "--image", "reg/geocont:1", "--pvc", "results", "--out", "sweep-a", "--shards", "2",
                "--manifest-dir", tmp.toString()));
        assertEquals(0, r.rc(), r.err());
        String job = Files.readString(tmp.resolve("sweep-job.yaml"));
        assertTrue(job.contains("completionMode: \"Indexed\"") && job.contains("completions: 2"), job);
        assertTrue(job.contains("- \"/results/sweep-a/shards/{shard}\""), job);
        assertTrue(job.contains("name: \"geocont-sweep-a\""), job);
        assertTrue(r.out().contains("kubectl apply -f " + tmp.resolve("sweep-job.yaml")), r.out());
        assertTrue(Files.readString(tmp.resolve("merge-job.yaml")).contains("--merge /results/sweep-a/shards/*/"));
    }

    @Test void kubernetesDefaultNamesAreValidForAnyResultsFolder() throws Exception {
        // an '_' or '.' in the folder and a long name used to make the default job name fail Kubernetes' rules
        String folder = "mlp_quick.v2_" + "x".repeat(70);
        var r = SweepCommandTest.run(with("cluster k8s", "--image", "reg/geocont:1", "--pvc", "results", "--out", folder, "--shards", "2",
                "--manifest-dir", tmp.toString()));
        assertEquals(0, r.rc(), r.err());
        for (String f : List.of("sweep-job.yaml", "merge-job.yaml")) {
            var m = java.util.regex.Pattern.compile("\n  name: \"([^\"]+)\"").matcher(Files.readString(tmp.resolve(f)));
            assertTrue(m.find(), f);
            String name = m.group(1);
            assertTrue(name.length() <= 63 && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), f + ": " + name);
        }
    }

    @Test void statusFollowsAShardedSweepToTheMerge() throws Exception {
        Path out = tmp.resolve("grid");
        String shardOut = out.resolve("shards").resolve("{shard}").toString();
        var none = SweepCommandTest.run(with("cluster status", "--out", out.toString()));
        assertEquals(2, none.rc(), "no such folder: " + none.err());

        assertEquals(0, SweepCommandTest.run(with("sweep", "--shard", "1/2", "--out", shardOut)).rc());
        var half = SweepCommandTest.run(with("cluster status", "--out", out.toString()));
        assertEquals(1, half.rc(), half.out() + half.err());
        assertTrue(half.out().contains("4 runs in 2 shards: 2 done, 0 partway, 2 not started"), half.out());
        assertTrue(half.out().matches("(?s).*2/2 +not started +0/2 .*"), half.out());
        assertTrue(half.out().contains("nores-relu-sgd-s1") && half.out().contains("res-relu-sgd-s1"), half.out());

        assertEquals(0, SweepCommandTest.run(with("sweep", "--shard", "2/2", "--out", shardOut)).rc());
        var all = SweepCommandTest.run(with("cluster status", "--out", out.toString()));
        assertEquals(0, all.rc(), all.out());
        assertTrue(all.out().contains("every run is done; merge: geocont sweep --merge"), all.out());

        var m = SweepCommandTest.run("sweep", "--merge", out.resolve("shards/1").toString(), out.resolve("shards/2").toString(), "--out", out.toString());
        assertEquals(0, m.rc(), m.err());
        var merged = SweepCommandTest.run(with("cluster status", "--out", out.toString()));
        assertEquals(0, merged.rc());
        assertTrue(merged.out().contains("every run is done and merged into " + out), merged.out());
    }
}
