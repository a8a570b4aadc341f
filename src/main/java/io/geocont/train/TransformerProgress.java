package io.geocont.train;

import io.geocont.analysis.Eta;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Hears about a transformer run's progress; the library never prints, the CLI hands in {@link Printing}. */
public interface TransformerProgress {
    /** A fresh run starts. */
    default void started(long parameters, String backend, String text, int bytes, int trainBytes, int heldOutBytes,
                         double unigramEntropyNats) { }

    /** A run continues from its checkpoint at {@code step}. */
    default void resumed(Path checkpoint, int step) { }

    /** Every {@code logEvery} steps: the training numbers and the estimated rest of the run. */
    default void trained(int step, int end, double loss, double lr, double gradNorm, double tokensPerSecond,
                         double secondsPerStep, double etaSeconds) { }

    /** An evaluation finished (validation loss and the per-projection continuity). */
    default void evaluated(int step, double valLoss, Map<String, ProjectionStats> projections, double seconds) { }

    TransformerProgress NONE = new TransformerProgress() { };

    /** One line per event on {@code out}. */
    final class Printing implements TransformerProgress {
        private final PrintStream out;

        public Printing(PrintStream out) { this.out = out; }

        @Override public void started(long parameters, String backend, String text, int bytes, int train, int heldOut, double unigram) {
            out.printf(Locale.ROOT, "transformer: %,d parameters, %s, text %s (%,d bytes; train %,d, held-out %,d)%n",
                    parameters, backend, text, bytes, train, heldOut);
            out.printf(Locale.ROOT, "transformer: unigram byte entropy of the training text = %.4f nats = %.4f bits%n",
                    unigram, unigram / Math.log(2));
        }

        @Override public void resumed(Path checkpoint, int step) {
            out.printf(Locale.ROOT, "transformer: resumed from %s at step %d%n", checkpoint, step);
        }

        @Override public void trained(int step, int end, double loss, double lr, double gradNorm, double tokPerS, double perStep, double eta) {
            out.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  |g| %.3f  %,.0f tok/s  %.2f s/step  ETA %s%n",
                    step, end, loss, lr, gradNorm, tokPerS, perStep, Eta.format(eta));
        }

        @Override public void evaluated(int step, double valLoss, Map<String, ProjectionStats> stats, double seconds) {
            StringBuilder sb = new StringBuilder();
            for (ProjectionStats p : stats.values()) sb.append(String.format(Locale.ROOT, "%s v1 %.3f u1 %.3f  ", p.name(), p.v1(), p.u1()));
            out.printf(Locale.ROOT, "transformer: step %d val loss %.4f (evaluation %.1f s)  %s%n", step, valLoss, seconds, sb.toString().trim());
        }
    }
}
