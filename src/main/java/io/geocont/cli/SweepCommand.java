package io.geocont.cli;

import io.geocont.backend.Backend;
import io.geocont.experiments.MlpGrid;
import io.geocont.experiments.MlpReport;
import io.geocont.experiments.RunFolders;
import io.geocont.experiments.Shard;
import io.geocont.experiments.SweepRunner;
import io.geocont.experiments.VariantNames;
import io.geocont.train.MlpRunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code geocont sweep}: the toy-MLP grid, resumable and shardable; {@code --merge} joins shard folders. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the toy-MLP grid (variants x seeds) into one results folder, one sub-folder per run.",
                "Finished runs are skipped, killed runs resume from their checkpoint.",
                "--shard i/N runs only runs j with j mod N = i-1 of the sorted list (for SLURM arrays / Kubernetes indexed jobs);",
                "--merge DIR... copies the shards' run folders into --out and writes Table 1, figures and report.html there."})
public final class SweepCommand implements Callable<Integer> {
    @Mixin GridOptions grid;
    @Mixin BackendOption backendOption;

    @Option(names = "--shard", paramLabel = "i/N", description = "Run only shard i of N (1-based; default 1/1 = everything).")
    String shard;

    @Option(names = "--merge", arity = "1..*", paramLabel = "DIR", description = "Merge these shard folders into --out instead of training.")
    List<Path> merge;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        Path out = grid.out();
        String command = "geocont sweep " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        if (merge != null && !merge.isEmpty()) {
            if (shard != null) throw new IllegalArgumentException("--merge and --shard do not go together");
            RunFolders.merge(merge, out, System.err);
            MlpReport.write(out, MlpReport.Part.ALL, grid.tag(), command, System.out);
            return 0;
        }
        Shard sh = shard == null ? Shard.ALL : Shard.parse(shard);
        MlpGrid g = grid.grid(VariantNames.DEFAULT);
        List<MlpRunSpec> all = g.specs();
        List<MlpRunSpec> mine = sh.select(all);
        System.err.printf("sweep: shard %s takes %d of %d runs (%d variants x %d seeds)%n", sh, mine.size(), all.size(), g.variants().size(), g.seeds());
        try (Backend backend = backendOption.open()) {
            SweepRunner.run(mine, g.loadData(), out, backend, System.err, !grid.quiet);
        }
        if (sh.count() == 1) {
            MlpReport.write(out, MlpReport.Part.ALL, grid.tag(), command, System.out);
        } else {
            System.out.println("shard " + sh + " done: " + mine.size() + " runs in " + out
                    + "; when every shard is done: geocont sweep --merge <shard folders...> --out <dir>");
        }
        return 0;
    }
}
