package io.geocont.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * What a job script needs to know about a sharded sweep, whatever the scheduler: the command
 * that starts geocont on a node, the grid's options (repeated to every task, the status check and
 * the merge), options for the training tasks only ({@code --backend}), the results folder (merged runs in {@code out}, shard i in {@code out/shards/i}), the number
 * of shards and of runs, and the folder the tasks start in.
 */
public record SweepJob(String name, List<String> geocont, List<String> gridArgs, List<String> taskArgs, Path out, int shards,
                       int runs, Path workDir) {
    public SweepJob {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}"))
            throw new IllegalArgumentException("job name '" + name + "' must be letters, digits, '_', '.', '-' (at most 63)");
        if (geocont == null || geocont.isEmpty()) throw new IllegalArgumentException("--geocont: empty command");
        if (runs < 1) throw new IllegalArgumentException("the grid has no runs");
        if (shards < 1 || shards > runs)
            throw new IllegalArgumentException("--shards " + shards + ": need 1..." + runs + " (the grid has " + runs + " runs)");
        geocont = List.copyOf(geocont);
        gridArgs = List.copyOf(gridArgs);
        taskArgs = List.copyOf(taskArgs);
        for (String a : gridArgs) Shell.oneLine("grid option", a);
        for (String a : taskArgs) Shell.oneLine("option", a);
        for (String a : geocont) Shell.oneLine("--geocont", a);
        if (out.toString().contains(ShardLayout.PLACEHOLDER))
            throw new IllegalArgumentException("--out " + out + ": give the merged results folder; the shards go to OUT/shards/i by themselves");
        out = out.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
    }

    /** Runs per shard, at most (shards take runs round-robin). */
    public int runsPerShard() { return (runs + shards - 1) / shards; }
}
