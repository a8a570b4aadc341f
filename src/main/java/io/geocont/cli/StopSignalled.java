package io.geocont.cli;

import io.geocont.cluster.StopSignals;
import io.geocont.train.RunStoppedException;
import io.geocont.train.StopFlag;

/**
 * Training work with SIGTERM and SIGUSR1 trapped, for every command that trains (sweep adds its
 * shard record on top): the step in progress finishes, the run checkpoints at that step, and the
 * command says how to continue and exits 75 (EX_TEMPFAIL, what a Slurm job script requeues on).
 */
final class StopSignalled {
    private StopSignalled() { }

    /** The training work; it must check {@code stop} between steps and throw RunStoppedException when it is raised. */
    interface Work { void run(StopFlag stop) throws Exception; }

    /** 0 when the work finished, {@link StopSignals#EXIT_STOPPED} when a signal stopped it. */
    static int run(String command, String howToContinue, Work work) throws Exception {
        StopFlag stop = new StopFlag();
        try (StopSignals signals = StopSignals.install(stop)) {
            work.run(stop);
            return 0;
        } catch (RunStoppedException e) {
            System.err.println(command + ": " + e.getMessage() + "; exit status " + StopSignals.EXIT_STOPPED + " (" + howToContinue + ")");
            return StopSignals.EXIT_STOPPED;
        }
    }
}
