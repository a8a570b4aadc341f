package io.geocont.cli;

import io.geocont.cluster.SweepStatus;
import io.geocont.experiments.MlpGrid;
import io.geocont.experiments.VariantNames;
import io.geocont.train.MlpRunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code geocont cluster status}: which shards and runs of a grid are missing, partway or failed in a results folder. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"List the shards and runs of a sharded sweep that are missing, stopped partway or failed.",
                "Give the same grid options as to sweep. Looks in --out (merged runs) and OUT/shards/i (shard i). "
                        + "Exit status 0 when every run is done, 1 when anything is missing."})
public final class ClusterStatusCommand implements Callable<Integer> {
    @Mixin GridOptions grid;

    @Option(names = "--shards", paramLabel = "N", description = "Shard count (default: from the shards' shard.json records).")
    Integer shards;

    /** Accepted and ignored, so a sweep's options can be given as they are. */
    @Option(names = "--backend", hidden = true)
    String backend;

    @Override public Integer call() throws Exception {
        MlpGrid g = grid.grid(VariantNames.DEFAULT);
        SweepStatus.Report r = SweepStatus.scan(grid.out(), g.specs().stream().map(MlpRunSpec::runId).toList(), shards);
        System.out.print(SweepStatus.format(r));
        return r.complete() ? 0 : 1;
    }
}
