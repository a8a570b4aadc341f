package io.geocont.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sbatch array, merge job and submit script: every requested setting is on its #SBATCH line,
 * the merge is chained by afterok, the scripts are valid bash, and the array script's signal
 * handling works with stand-ins for geocont and scontrol: SIGUSR1 -> exit 75 and a requeue of
 * this very task, SIGTERM -> exit 75 and no requeue.
 */
class SlurmScriptsTest {
    @TempDir Path tmp;

    static SweepJob job(Path out, List<String> geocont) {
        return new SweepJob("geocont-test", geocont, List.of("--variants", "res-relu,nores-relu", "--data", "/data/my mnist", "--seeds", "2"),
                List.of("--backend", "cuda"), out, 4, 7, out.getParent());
    }

    static SlurmOptions options() {
        return new SlurmOptions("gpu", "02:00:00", "8G", 4, 1, "a100", "proj42", "normal", 2, 120, null, null,
                List.of("--constraint=h100", "--exclusive"), List.of("module load java/25"));
    }

    @Test void everySettingLandsOnItsLine() throws Exception {
        Path out = tmp.resolve("out");
        List<Path> files = SlurmScripts.write(job(out, List.of("/opt/geocont/bin/geocont")), options(), out.resolve("slurm"));
        String array = Files.readString(files.get(0)), merge = Files.readString(files.get(1)), submit = Files.readString(files.get(2));
        for (String line : new String[]{"#SBATCH --job-name=geocont-test", "#SBATCH --array=1-4%2", "#SBATCH --requeue",
                "#SBATCH --signal=B:USR1@120", "#SBATCH --partition=gpu", "#SBATCH --time=02:00:00", "#SBATCH --mem=8G",
                "#SBATCH --cpus-per-task=4", "#SBATCH --gres=gpu:a100:1", "#SBATCH --account=proj42", "#SBATCH --qos=normal",
                "#SBATCH --constraint=h100", "#SBATCH --exclusive", "#SBATCH --open-mode=append",
                "#SBATCH --output=" + out.resolve("slurm").resolve("logs") + "/sweep-%A_%a.out", "#SBATCH --chdir=" + tmp,
                "module load java/25", "export GEOCONT_SHARD_COUNT=4"})
            assertTrue(array.contains(line + "\n"), "missing '" + line + "' in\n" + array);
        assertTrue(array.contains("\"${GEOCONT[@]}\" sweep --shard auto --variants res-relu,nores-relu --data '/data/my mnist' --seeds 2 "
                + "--backend cuda --out \"$OUT/shards/{shard}\" &"), array);
        assertTrue(array.contains("scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\""), array);

        assertFalse(merge.contains("--gres") || merge.contains("--array") || merge.contains("--backend"), merge);
        for (String line : new String[]{"#SBATCH --job-name=geocont-test-merge", "#SBATCH --partition=gpu", "#SBATCH --account=proj42",
                "#SBATCH --time=30", "#SBATCH --mem=4G", "set -euo pipefail",
                "\"${GEOCONT[@]}\" cluster status --variants res-relu,nores-relu --data '/data/my mnist' --seeds 2 --shards 4 --out \"$OUT\"",
                "\"${GEOCONT[@]}\" sweep --variants res-relu,nores-relu --data '/data/my mnist' --seeds 2 --out \"$OUT\" --merge \"$OUT\"/shards/*/"})
            assertTrue(merge.contains(line + "\n"), "missing '" + line + "' in\n" + merge);
        assertTrue(merge.indexOf("cluster status") < merge.indexOf("--merge"), "check before merging");

        assertTrue(submit.contains("sbatch --parsable \"$here/sweep.sbatch\""), submit);
        assertTrue(submit.contains("sbatch --parsable --dependency=afterok:\"$array\" --kill-on-invalid-dep=yes \"$here/merge.sbatch\""), submit);
        assertTrue(Files.isDirectory(out.resolve("slurm").resolve("logs")), "sbatch needs the log folder to exist");
        for (Path f : files) {
            assertTrue(Files.isExecutable(f), f + " executable");
            Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), f + ": " + new String(p.getInputStream().readAllBytes()));
        }
    }

    @Test void defaultsStayOffTheScript() {
        SlurmOptions none = new SlurmOptions(null, null, null, null, 0, null, null, null, 0, 0, null, null, null, null);
        String a = SlurmScripts.arrayScript(job(tmp.resolve("o"), List.of("geocont")), none, tmp.resolve("o/slurm"));
        assertTrue(a.contains("#SBATCH --array=1-4\n"));
        for (String absent : new String[]{"--partition", "--time", "--mem", "--gres", "--account", "--qos", "--signal", "--cpus-per-task"})
            assertFalse(a.contains("#SBATCH " + absent), absent + " should be left to the cluster");
    }

    /** A stand-in for geocont: says it started, then exits 75 on SIGUSR1/SIGTERM like the real one does. */
    Path fakeGeocont() throws Exception {
        Path f = tmp.resolve("fake-geocont.sh");
        Files.writeString(f, """
                #!/bin/bash
                echo "args: $*" >> "$FAKE_DIR/calls"
                trap 'echo "stopped by signal" >> "$FAKE_DIR/calls"; exit 75' USR1 TERM
                touch "$FAKE_DIR/started"
                for i in $(seq 200); do sleep 0.05; done
                exit 0
                """);
        f.toFile().setExecutable(true);
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path scontrol = bin.resolve("scontrol");
        Files.writeString(scontrol, "#!/bin/bash\necho \"scontrol $*\" >> \"$FAKE_DIR/calls\"\n");
        scontrol.toFile().setExecutable(true);
        return f;
    }

    String runArrayScriptAndSignal(String signal) throws Exception {
        Path out = tmp.resolve("o-" + signal);
        Path geocont = fakeGeocont();
        SlurmOptions o = new SlurmOptions(null, null, null, null, 0, null, null, null, 0, 60, null, null, null, null);
        List<Path> files = SlurmScripts.write(job(out, List.of(geocont.toString())), o, out.resolve("slurm"));
        Path fakeDir = Files.createDirectories(tmp.resolve("fake-" + signal));
        ProcessBuilder pb = new ProcessBuilder("bash", files.get(0).toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("script-" + signal + ".log").toFile());
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_DIR", fakeDir.toString());
        pb.environment().put("SLURM_ARRAY_JOB_ID", "7");
        pb.environment().put("SLURM_ARRAY_TASK_ID", "2");
        Process p = pb.start();
        for (int i = 0; i < 200 && !Files.exists(fakeDir.resolve("started")); i++) Thread.sleep(25);
        assertTrue(Files.exists(fakeDir.resolve("started")), "the script started geocont");
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(75, p.exitValue(), "the script passes geocont's status on: " + Files.readString(tmp.resolve("script-" + signal + ".log")));
        return Files.readString(fakeDir.resolve("calls"));
    }

    @Test void usr1IsForwardedAndTheTaskRequeuesItself() throws Exception {
        String calls = runArrayScriptAndSignal("USR1");
        assertTrue(calls.contains("args: sweep --shard auto --variants res-relu,nores-relu --data /data/my mnist --seeds 2 --backend cuda --out "
                + tmp.resolve("o-USR1").resolve("shards") + "/{shard}"), calls);
        assertTrue(calls.contains("stopped by signal"), calls);
        assertTrue(calls.contains("scontrol requeue 7_2"), calls);
    }

    @Test void termIsForwardedWithoutARequeue() throws Exception {
        String calls = runArrayScriptAndSignal("TERM");
        assertTrue(calls.contains("stopped by signal"), calls);
        assertFalse(calls.contains("scontrol"), "a SIGTERM (preemption or scancel) is not requeued by the script: " + calls);
    }

    @Test void badSettingsAreClearErrors() {
        assertTrue(bad(() -> new SlurmOptions(null, "2h", null, null, 0, null, null, null, 0, 0, null, null, null, null)).contains("--time '2h'"));
        assertTrue(bad(() -> new SlurmOptions(null, null, "8GB", null, 0, null, null, null, 0, 0, null, null, null, null)).contains("--mem '8GB'"));
        assertTrue(bad(() -> new SlurmOptions(null, null, null, null, 0, "a100", null, null, 0, 0, null, null, null, null)).contains("--gpu-type needs --gpus"));
        assertTrue(bad(() -> new SlurmOptions(null, "1", null, null, 0, null, null, null, 0, 120, null, null, null, null)).contains("not shorter than --time 1"));
        assertTrue(bad(() -> new SlurmOptions("a b", null, null, null, 0, null, null, null, 0, 0, null, null, null, null)).contains("--partition"));
        assertTrue(bad(() -> new SlurmOptions(null, null, null, null, 0, null, null, null, 0, 0, null, null, List.of("rm -rf /"), null)).contains("--sbatch"));
        assertTrue(bad(() -> new SlurmOptions(null, null, null, null, 0, null, null, null, 0, 0, null, null, null, List.of("a\nb"))).contains("one line"));
        assertTrue(bad(() -> new SweepJob("x", List.of("geocont"), List.of(), List.of(), tmp, 9, 8, tmp)).contains("--shards 9: need 1...8"));
        assertTrue(bad(() -> new SweepJob("bad name", List.of("geocont"), List.of(), List.of(), tmp, 1, 8, tmp)).contains("job name"));
        assertTrue(bad(() -> SlurmScripts.write(job(tmp.resolve("with space"), List.of("geocont")), options(), tmp.resolve("s")))
                .contains("#SBATCH lines cannot carry"));
        assertEquals(90061L, SlurmOptions.seconds("1-01:01:01"));
        assertEquals(150L, SlurmOptions.seconds("2:30"));
        assertEquals(300L, SlurmOptions.seconds("5"));
        assertNull(SlurmOptions.seconds("UNLIMITED"));
    }

    static String bad(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
