package io.geocont.cluster;

import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a sweep's Slurm job: {@code sweep.sbatch} (an array, task i = shard i of N, requeueable,
 * SIGUSR1 before the time limit), {@code merge.sbatch} (checks that every run is there, then
 * merges the shards and writes Table 1) and {@code submit.sh} (submits both, the merge chained
 * by afterok). Logs go to {@code DIR/logs}.
 */
public final class SlurmScripts {
    public static final String ARRAY = "sweep.sbatch", MERGE = "merge.sbatch", SUBMIT = "submit.sh", SUBMITTED = "submitted";

    private SlurmScripts() { }

    /** Writes the three files into {@code dir}; returns their paths. */
    public static List<Path> write(SweepJob job, SlurmOptions o, Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        noSpaces("the script folder", abs);
        Files.createDirectories(abs.resolve("logs"));
        List<Path> files = List.of(abs.resolve(ARRAY), abs.resolve(MERGE), abs.resolve(SUBMIT));
        AtomicFiles.writeString(files.get(0), arrayScript(job, o, abs));
        AtomicFiles.writeString(files.get(1), mergeScript(job, o, abs));
        AtomicFiles.writeString(files.get(2), submitScript(job));
        for (Path f : files) {
            try {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: run them with bash
            }
        }
        return files;
    }

    static String arrayScript(SweepJob job, SlurmOptions o, Path dir) {
        noSpaces("--out", job.out());
        noSpaces("the working folder", job.workDir());
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("# geocont sweep as a Slurm job array: task i trains shard i of ").append(job.shards()).append(" of the grid (")
                .append(job.runs()).append(" runs,\n# at most ").append(job.runsPerShard()).append(" per task) into ")
                .append(job.out()).append("/shards/i. Submit with submit.sh, which chains merge.sbatch.\n");
        b.append("# SIGUSR1 (").append(o.signalLead()).append(" s before the time limit) or SIGTERM (preemption): geocont finishes its step,\n")
                .append("# writes its checkpoint and exits 75; on SIGUSR1 this script requeues the task, which resumes there.\n");
        b.append("#SBATCH --job-name=").append(job.name()).append('\n');
        b.append("#SBATCH --array=1-").append(job.shards()).append(o.maxParallel() > 0 ? "%" + o.maxParallel() : "").append('\n');
        b.append("#SBATCH --output=").append(dir.resolve("logs")).append("/sweep-%A_%a.out\n");
        b.append("#SBATCH --open-mode=append\n");
        b.append("#SBATCH --chdir=").append(job.workDir()).append('\n');
        b.append("#SBATCH --requeue\n");
        if (o.signalLead() > 0) b.append("#SBATCH --signal=B:USR1@").append(o.signalLead()).append('\n');
        common(b, o, o.time(), o.mem());
        if (o.cpusPerTask() != null) b.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask()).append('\n');
        if (o.gpus() > 0) b.append("#SBATCH --gres=gpu:").append(o.gpuType() == null ? "" : o.gpuType() + ":").append(o.gpus()).append('\n');
        for (String e : o.extraSbatch()) b.append("#SBATCH ").append(e).append('\n');
        b.append("set -u\n");
        for (String s : o.setup()) b.append(s).append('\n');
        b.append("# --shard auto checks the array against this count: a partial --array is refused, not mis-sharded\n");
        b.append("export GEOCONT_SHARD_COUNT=").append(job.shards()).append('\n');
        b.append("OUT=").append(Shell.quote(job.out().toString())).append('\n');
        b.append("GEOCONT=(").append(Shell.join(job.geocont())).append(")\n");
        b.append("echo \"geocont: task ${SLURM_ARRAY_TASK_ID} of array ${SLURM_ARRAY_JOB_ID} on $(hostname), restart ${SLURM_RESTART_COUNT:-0}, $(date -Is)\"\n");
        List<String> sweep = new ArrayList<>(List.of("sweep", "--shard", "auto"));
        sweep.addAll(job.gridArgs());
        sweep.addAll(job.taskArgs());
        b.append("\"${GEOCONT[@]}\" ").append(Shell.join(sweep)).append(" --out \"$OUT/shards/{shard}\" &\n");
        b.append("""
                pid=$!
                got=
                trap 'got=USR1; kill -USR1 "$pid" 2>/dev/null' USR1
                trap 'got=TERM; kill -TERM "$pid" 2>/dev/null' TERM
                while :; do   # a trapped signal interrupts wait (status > 128) while geocont finishes its step: wait again
                  wait "$pid"; rc=$?
                  if [ "$rc" -gt 128 ] && kill -0 "$pid" 2>/dev/null; then continue; fi
                  break
                done
                if [ "$rc" -gt 128 ] && [ -n "$got" ]; then   # it ended during the trap: fetch its status once more
                  wait "$pid" 2>/dev/null; r=$?; [ "$r" -ne 127 ] && rc=$r
                fi
                if [ "$rc" -eq 75 ]; then
                  if [ "$got" = USR1 ]; then
                    echo "geocont: checkpoint written before the time limit; requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
                    scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}" \\
                      || echo "geocont: requeue refused; run submit.sh again to resume from the checkpoints"
                  else
                    echo "geocont: stopped by SIG${got:-TERM} with the checkpoint written (preempted --requeue jobs come back by themselves)"
                  fi
                fi
                echo "geocont: exit status $rc, $(date -Is)"
                exit "$rc"
                """);
        return b.toString();
    }

    static String mergeScript(SweepJob job, SlurmOptions o, Path dir) {
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("# Runs after every task of the sweep array succeeded (submit.sh chains it with afterok): lists\n")
                .append("# anything missing (and fails then), else merges the shards into ").append(job.out()).append(" and writes Table 1.\n");
        b.append("#SBATCH --job-name=").append(job.name()).append("-merge\n");
        b.append("#SBATCH --output=").append(dir.resolve("logs")).append("/merge-%j.out\n");
        b.append("#SBATCH --chdir=").append(job.workDir()).append('\n');
        common(b, o, o.mergeTime() != null ? o.mergeTime() : "30", o.mergeMem() != null ? o.mergeMem() : "4G");
        b.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask() != null ? o.cpusPerTask() : 2).append('\n');
        b.append("set -euo pipefail\n");
        for (String s : o.setup()) b.append(s).append('\n');
        b.append("OUT=").append(Shell.quote(job.out().toString())).append('\n');
        b.append("GEOCONT=(").append(Shell.join(job.geocont())).append(")\n");
        List<String> status = new ArrayList<>(List.of("cluster", "status"));
        status.addAll(job.gridArgs());
        b.append("\"${GEOCONT[@]}\" ").append(Shell.join(status)).append(" --shards ").append(job.shards()).append(" --out \"$OUT\"\n");
        List<String> merge = new ArrayList<>(List.of("sweep"));
        merge.addAll(job.gridArgs());
        b.append("\"${GEOCONT[@]}\" ").append(Shell.join(merge)).append(" --out \"$OUT\" --merge \"$OUT\"/shards/*/\n");
        return b.toString();
    }

    static String submitScript(SweepJob job) {
        return """
                #!/usr/bin/env bash
                # Submits the geocont sweep array (%d tasks) and its merge job, which starts only after every task
                # succeeded (afterok) and is cancelled if one fails for good. Job ids also go to ./submitted.
                set -euo pipefail
                here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
                mkdir -p "$here/logs"
                array=$(sbatch --parsable "$here/%s"); array=${array%%%%;*}
                merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/%s"); merge=${merge%%%%;*}
                printf 'array=%%s\\nmerge=%%s\\n' "$array" "$merge" > "$here/%s"
                echo "submitted sweep array $array (%d tasks) and merge job $merge (afterok:$array)"
                echo "watch: squeue -j $array,$merge; missing or failed shards: geocont cluster status ... --out %s"
                """.formatted(job.shards(), ARRAY, MERGE, SUBMITTED, job.shards(), Shell.quote(job.out().toString()));
    }

    private static void common(StringBuilder b, SlurmOptions o, String time, String mem) {
        if (o.partition() != null) b.append("#SBATCH --partition=").append(o.partition()).append('\n');
        if (o.account() != null) b.append("#SBATCH --account=").append(o.account()).append('\n');
        if (o.qos() != null) b.append("#SBATCH --qos=").append(o.qos()).append('\n');
        if (time != null) b.append("#SBATCH --time=").append(time).append('\n');
        if (mem != null) b.append("#SBATCH --mem=").append(mem).append('\n');
    }

    private static void noSpaces(String what, Path p) {
        if (!p.toString().matches("[^\\s'\"\\\\$`]+"))
            throw new IllegalArgumentException(what + " " + p + " holds a space, quote or $, which #SBATCH lines cannot carry; choose another folder");
    }
}
