package io.geocont.cli;

import io.geocont.backend.Backend;
import io.geocont.experiments.MlpGrid;
import io.geocont.report.MlpReport;
import io.geocont.experiments.SweepRunner;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The shared body of the toy-MLP reproduce targets: run (or reuse) the target's part of the grid
 * in the results folder, then write Table 1, the target's figures and report.html. SIGTERM or
 * SIGUSR1 (a preempted job, a Ctrl-C-free stop) let the step in progress finish, checkpoint the
 * run at that step and exit 75, as {@code sweep} does; the same command again resumes there.
 */
abstract class MlpReproduction implements Callable<Integer> {
    @Mixin GridOptions grid;
    @Mixin BackendOption backendOption;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    /** Variants this target needs when --variants is not given. */
    abstract List<String> variants();

    abstract MlpReport.Part part();

    @Override public Integer call() throws Exception {
        MlpGrid g = grid.grid(variants());
        int rc = StopSignalled.run("reproduce", "run the same command again to continue from there", stop -> {
            try (Backend backend = backendOption.open()) {
                SweepRunner.run(g.specs(), g.loadData(), grid.out(), backend, System.err, !grid.quiet, stop);
            }
        });
        if (rc != 0) return rc;
        // originalArgs is the whole command line as typed ("reproduce table1 --seeds 1 ..."): prefix only the program
        String command = "geocont " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        MlpReport.write(grid.out(), part(), grid.tag(), command.trim(), System.out);
        return 0;
    }
}
