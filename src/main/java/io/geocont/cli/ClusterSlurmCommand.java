package io.geocont.cli;

import io.geocont.cluster.SlurmOptions;
import io.geocont.cluster.SlurmScripts;
import io.geocont.cluster.SweepJob;
import io.geocont.experiments.MlpGrid;
import io.geocont.experiments.VariantNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code geocont cluster slurm}: writes the sbatch array for the grid, its merge job and the script that submits both. */
@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {"Write an sbatch array for the MLP grid and its merge job, chained by afterok.",
                "Into --script-dir (default OUT/slurm): sweep.sbatch (array task i = shard i, requeueable, SIGUSR1 before the "
                        + "time limit -> checkpoint and requeue), merge.sbatch (checks nothing is missing, merges, writes Table 1) "
                        + "and submit.sh (submits both)."})
public final class ClusterSlurmCommand implements Callable<Integer> {
    @Mixin GridOptions grid;
    @Mixin BackendOption backendOption;

    @Option(names = "--shards", paramLabel = "N", description = "Array tasks (default: one per run of the grid).")
    Integer shards;
    @Option(names = "--job-name", description = "Job name (default: geocont-<out folder name>).")
    String jobName;
    @Option(names = "--partition", description = "sbatch --partition.")
    String partition;
    @Option(names = "--time", description = "Time limit per task (sbatch --time: minutes, HH:MM:SS, D-HH:MM...).")
    String time;
    @Option(names = "--mem", description = "Memory per task (sbatch --mem, e.g. 8G).")
    String mem;
    @Option(names = "--cpus-per-task", description = "CPUs per task.")
    Integer cpus;
    @Option(names = "--gpus", defaultValue = "0", description = "GPUs per task (--gres=gpu:N; default: ${DEFAULT-VALUE}).")
    int gpus;
    @Option(names = "--gpu-type", description = "GPU type for --gres (e.g. a100).")
    String gpuType;
    @Option(names = "--account", description = "sbatch --account.")
    String account;
    @Option(names = "--qos", description = "sbatch --qos.")
    String qos;
    @Option(names = "--max-parallel", defaultValue = "0", paramLabel = "K", description = "At most K tasks at once (--array=1-N%%K; 0 = no limit).")
    int maxParallel;
    @Option(names = "--signal-lead", defaultValue = "120", paramLabel = "SECONDS",
            description = "Send SIGUSR1 this long before the time limit (0 = not at all; default: ${DEFAULT-VALUE}).")
    int signalLead;
    @Option(names = "--merge-time", description = "Time limit of the merge job (default: 30 minutes).")
    String mergeTime;
    @Option(names = "--merge-mem", description = "Memory of the merge job (default: 4G).")
    String mergeMem;
    @Option(names = "--sbatch", paramLabel = "OPTION", description = "Another #SBATCH line for both jobs, e.g. --sbatch=--constraint=a100 (repeatable).")
    List<String> extra;
    @Option(names = "--setup", paramLabel = "LINE", description = "A shell line run before geocont, e.g. 'module load java/25' (repeatable).")
    List<String> setup;
    @Option(names = "--geocont", paramLabel = "CMD", description = "How a node starts geocont (default: this jar with this JDK).")
    String geocont;
    @Option(names = "--script-dir", paramLabel = "DIR", description = "Where to write the scripts (default: OUT/slurm).")
    Path scriptDir;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        MlpGrid g = grid.grid(VariantNames.DEFAULT);
        int runs = g.specs().size();
        Path out = grid.out().toAbsolutePath().normalize();
        SweepJob job = new SweepJob(jobName != null ? jobName : JobArgs.jobName(out), JobArgs.geocont(geocont),
                JobArgs.given(spec, "grid", Set.of("--out")), JobArgs.given(spec, "backendOption", Set.of()), out,
                shards != null ? shards : runs, runs, Path.of("").toAbsolutePath());
        SlurmOptions o = new SlurmOptions(partition, time, mem, cpus, gpus, gpuType, account, qos, maxParallel, signalLead,
                mergeTime, mergeMem, extra, setup);
        Path dir = scriptDir != null ? scriptDir : out.resolve("slurm");
        List<Path> files = SlurmScripts.write(job, o, dir);
        System.out.printf("wrote %s: %d array tasks for %d runs (at most %d per task), merge chained with afterok%n",
                String.join(", ", files.stream().map(Path::toString).toList()), job.shards(), runs, job.runsPerShard());
        System.out.println("submit:  bash " + files.get(2));
        System.out.println("status:  geocont cluster status " + String.join(" ", job.gridArgs()) + (job.gridArgs().isEmpty() ? "" : " ")
                + "--out " + out);
        return 0;
    }
}
