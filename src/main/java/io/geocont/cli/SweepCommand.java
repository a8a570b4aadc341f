package io.geocont.cli;

import io.geocont.backend.Backend;
import io.geocont.cluster.ShardLayout;
import io.geocont.cluster.ShardRecord;
import io.geocont.cluster.ShardResolver;
import io.geocont.cluster.StopSignals;
import io.geocont.experiments.MlpGrid;
import io.geocont.report.MlpReport;
import io.geocont.experiments.RunFolders;
import io.geocont.experiments.Shard;
import io.geocont.experiments.SweepRunner;
import io.geocont.experiments.VariantNames;
import io.geocont.train.MlpRunSpec;
import io.geocont.train.RunStoppedException;
import io.geocont.train.StopFlag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code geocont sweep}: the toy-MLP grid, resumable and shardable; {@code --merge} joins shard folders. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the toy-MLP grid (variants x seeds) into one results folder, one sub-folder per run.",
                "Finished runs are skipped, killed runs resume from their checkpoint.",
                "--shard i/N runs only runs j with j mod N = i-1 of the sorted list; --shard auto takes i/N from a",
                "Slurm array task (SLURM_ARRAY_TASK_ID/_MIN/_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX",
                "with --shards N or GEOCONT_SHARD_COUNT). {shard} in --out becomes i.",
                "SIGTERM or SIGUSR1 stops after the current step with a checkpoint; exit status 75 = run again to resume.",
                "--merge DIR... copies the shards' run folders into --out and writes Table 1, figures and report.html there."})
public final class SweepCommand implements Callable<Integer> {
    @Mixin GridOptions grid;
    @Mixin BackendOption backendOption;

    @Option(names = "--shard", paramLabel = "i/N|auto",
            description = "Run only shard i of N (1-based; default 1/1 = everything), or auto: from the job array's variables.")
    String shard;

    @Option(names = "--shards", paramLabel = "N",
            description = "How many shards, for --shard auto (needed for Kubernetes unless GEOCONT_SHARD_COUNT is set).")
    Integer shards;

    @Option(names = "--merge", arity = "1..*", paramLabel = "DIR", description = "Merge these shard folders into --out instead of training.")
    List<Path> merge;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    /** The environment --shard auto reads (replaced in tests). */
    Map<String, String> env = System.getenv();

    @Override public Integer call() throws Exception {
        String command = "geocont sweep " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        if (merge != null && !merge.isEmpty()) {
            if (shard != null || shards != null) throw new IllegalArgumentException("--merge and --shard do not go together");
            Path out = grid.out();
            if (out.toString().contains(ShardLayout.PLACEHOLDER)) throw new IllegalArgumentException("--merge: --out cannot hold {shard}");
            RunFolders.merge(merge, out, System.err);
            MlpReport.write(out, MlpReport.Part.ALL, grid.tag(), command, System.out);
            return 0;
        }
        ShardResolver.Resolved resolved = ShardResolver.resolve(shard, shards, env);
        Shard sh = resolved.shard();
        Path out = ShardLayout.fill(grid.out(), sh);
        MlpGrid g = grid.grid(VariantNames.DEFAULT);
        List<MlpRunSpec> all = g.specs();
        List<MlpRunSpec> mine = sh.select(all);
        System.err.printf("sweep: shard %s%s takes %d of %d runs (%d variants x %d seeds)%n", sh,
                shard != null && shard.trim().equalsIgnoreCase("auto") ? " (" + resolved.source() + ")" : "",
                mine.size(), all.size(), g.variants().size(), g.seeds());
        ShardRecord record = sh.count() == 1 ? null
                : ShardRecord.starting(sh.toString(), resolved.source(), mine.stream().map(MlpRunSpec::runId).toList(), env);
        if (record != null) record.write(out);
        StopFlag stop = new StopFlag();
        try (StopSignals signals = StopSignals.install(stop); Backend backend = backendOption.open()) {
            SweepRunner.run(mine, g.loadData(), out, backend, System.err, !grid.quiet, stop);
        } catch (RunStoppedException e) {
            note(record, out, ShardRecord.STOPPED, StopSignals.EXIT_STOPPED, e.getMessage());
            System.err.println("sweep: " + e.getMessage() + "; exit status " + StopSignals.EXIT_STOPPED
                    + " (run the same command again, or requeue the task, to continue)");
            return StopSignals.EXIT_STOPPED;
        } catch (Exception | Error e) {
            note(record, out, ShardRecord.FAILED, e instanceof IllegalArgumentException || e instanceof java.io.IOException ? 2 : 1,
                    e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
        if (record != null) record.with(ShardRecord.DONE, 0, null).write(out);
        if (sh.count() == 1) {
            MlpReport.write(out, MlpReport.Part.ALL, grid.tag(), command, System.out);
        } else {
            System.out.println("shard " + sh + " done: " + mine.size() + " runs in " + out
                    + "; when every shard is done: geocont sweep --merge <shard folders...> --out <dir>");
        }
        return 0;
    }

    /** Updates shard.json on the way out; a failure to write it must not hide why the shard ended. */
    private static void note(ShardRecord record, Path out, String state, int exit, String message) {
        if (record == null) return;
        try {
            record.with(state, exit, message).write(out);
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("sweep: could not update " + out.resolve(ShardRecord.FILE) + ": " + e.getMessage());
        }
    }
}
