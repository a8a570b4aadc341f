package io.geocont.train;

import io.geocont.analysis.Eta;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Hears about a run's progress. Library code reports only through this (it never prints);
 * {@link Printing} writes lines to a stream its caller chooses (the CLI: stderr).
 */
public interface ProgressListener {
    /** Training starts (or resumes) at {@code startEpoch} (0 = fresh run). */
    default void started(MlpRunSpec spec, int startEpoch, int epochs) { }

    /** After {@link #started}, when the run resumes inside an epoch where it was stopped (at 0-based {@code step}). */
    default void resumedWithinEpoch(MlpRunSpec spec, int epoch, int step, int stepsPerEpoch) { }

    /** After every training step of an epoch (cheap; called often). */
    default void step(MlpRunSpec spec, int epoch, int step, int stepsPerEpoch) { }

    /** An epoch's record is final; {@code etaSeconds} estimates the rest of the run. */
    default void epoch(MlpRunSpec spec, EpochMetrics m, int epochs, double etaSeconds) { }

    /** The run finished (or was already finished: {@code cached}). */
    default void finished(MlpRunSpec spec, MlpRunResult result, boolean cached) { }

    ProgressListener NONE = new ProgressListener() { };

    /** Prints one line per epoch (epoch i/E, loss, accuracy, v1 continuity vs baseline, ETA) on the stream it is given. */
    final class Printing implements ProgressListener {
        private final PrintStream out;

        public Printing(PrintStream out) { this.out = out; }

        @Override public void started(MlpRunSpec spec, int startEpoch, int epochs) {
            out.printf(Locale.ROOT, "[%s] %s at epoch %d of %d%n", spec.runId(), startEpoch == 0 ? "training" : "resuming", startEpoch, epochs);
        }

        @Override public void resumedWithinEpoch(MlpRunSpec spec, int epoch, int step, int steps) {
            out.printf(Locale.ROOT, "[%s] resuming inside epoch %d at step %d of %d (where it was stopped)%n", spec.runId(), epoch, step + 1, steps);
        }

        @Override public void epoch(MlpRunSpec spec, EpochMetrics m, int epochs, double eta) {
            out.printf(Locale.ROOT, "[%s] epoch %d/%d  loss %.4f  train %.1f%%  test %.1f%%  v1 %.3f (baseline %.3f)  upd %.2f  %.1fs  ETA %s%n",
                    spec.runId(), m.epoch(), epochs, m.trainLoss(), 100 * m.trainAcc(), 100 * m.testAcc(),
                    m.v1Mean(), m.baseline(), m.updateRatioMean(), m.seconds(), Eta.format(eta));
        }

        @Override public void finished(MlpRunSpec spec, MlpRunResult r, boolean cached) {
            EpochMetrics f = r.finalEpoch();
            out.printf(Locale.ROOT, "[%s] %s: test %.1f%%  v1 %.3f  (%.1fs)%n", spec.runId(),
                    cached ? "already done" : "done", 100 * f.testAcc(), f.v1Mean(), r.wallSeconds());
        }
    }
}
