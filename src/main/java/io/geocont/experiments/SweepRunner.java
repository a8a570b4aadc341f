package io.geocont.experiments;

import io.geocont.backend.Backend;
import io.geocont.data.Split;
import io.geocont.linalg.Parallel;
import io.geocont.train.MlpExperiment;
import io.geocont.train.MlpRunResult;
import io.geocont.train.MlpRunSpec;
import io.geocont.train.ProgressListener;
import io.geocont.train.RunStoppedException;
import io.geocont.train.StopFlag;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a list of specs into {@code out/<run-id>/}. Finished runs (result.json present) are read
 * back, not trained; a run with a checkpoint resumes from it (MlpExperiment does both). Prints
 * "run i/N" as runs finish and an overall ETA from the mean time of the runs trained so far.
 * A raised {@link StopFlag} ends the sweep with {@link RunStoppedException}: before the next run
 * starts, or inside the runs under way after their step (with a checkpoint, see MlpExperiment).
 *
 * <p>On a backend that takes calls from several threads ({@link Backend#concurrentCallers()}, the
 * CPU) as many runs as {@link Parallel#threads()} train side by side: the toy MLP's ops are too
 * small to split over threads (they run on the caller's thread), so one run at a time left all
 * cores but one idle. Each run is computed exactly as alone (every op's result is independent of
 * threads and timing), so results do not change; only the order of the progress lines does.
 */
public final class SweepRunner {
    private SweepRunner() { }

    public static List<MlpRunResult> run(List<MlpRunSpec> specs, Split data, Path out, Backend backend,
                                         PrintStream log, boolean perEpoch) throws IOException {
        return run(specs, data, out, backend, log, perEpoch, null);
    }

    /** As above, stopping when {@code stop} (may be null) is raised. */
    public static List<MlpRunResult> run(List<MlpRunSpec> specs, Split data, Path out, Backend backend,
                                         PrintStream log, boolean perEpoch, StopFlag stop) throws IOException {
        return run(specs, data, out, backend, log, perEpoch ? new ProgressListener.Printing(log) : ProgressListener.NONE, stop);
    }

    /**
     * As above, with {@code progress} hearing every run's epochs (from the threads the runs train
     * on, so it must be thread-safe when runs train side by side); {@code log} gets the sweep's lines.
     */
    public static List<MlpRunResult> run(List<MlpRunSpec> specs, Split data, Path out, Backend backend,
                                         PrintStream log, ProgressListener progress, StopFlag stop) throws IOException {
        Files.createDirectories(out);
        int toTrain = 0;
        for (MlpRunSpec s : specs) if (!finished(out, s)) toTrain++;
        int side = backend.concurrentCallers() ? Math.max(1, Math.min(Parallel.threads(), toTrain)) : 1;
        log.printf(Locale.ROOT, "sweep: %d runs into %s (%d finished already, %d to train%s)%n", specs.size(), out,
                specs.size() - toTrain, toTrain, side > 1 ? ", " + side + " at a time" : "");
        Sweep sweep = new Sweep(specs, data, out, backend, log, progress, stop, toTrain, side);
        List<Thread> helpers = new ArrayList<>();
        for (int k = 1; k < side; k++) helpers.add(Thread.ofPlatform().name("geocont-sweep-" + k).start(sweep::work));
        sweep.work();
        for (Thread t : helpers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the sweep's runs", e);
            }
        }
        sweep.rethrowFirstFailure();
        return List.of(sweep.results);
    }

    private static boolean finished(Path out, MlpRunSpec s) {
        return Files.isRegularFile(out.resolve(s.runId()).resolve(MlpExperiment.RESULT));
    }

    /** The shared state of one sweep: workers take the next spec until none is left or one failed. */
    private static final class Sweep {
        final List<MlpRunSpec> specs;
        final Split data;
        final Path out;
        final Backend backend;
        final PrintStream log;
        final ProgressListener epochs;
        final StopFlag stop;
        final int toTrain, side;
        final MlpRunResult[] results;
        final Throwable[] failures;
        final AtomicInteger next = new AtomicInteger();
        volatile boolean failed;
        double trainedSeconds; // guarded by this
        int trained;           // guarded by this

        Sweep(List<MlpRunSpec> specs, Split data, Path out, Backend backend, PrintStream log, ProgressListener epochs,
              StopFlag stop, int toTrain, int side) {
            this.specs = specs;
            this.data = data;
            this.out = out;
            this.backend = backend;
            this.log = log;
            this.epochs = epochs;
            this.stop = stop;
            this.toTrain = toTrain;
            this.side = side;
            this.results = new MlpRunResult[specs.size()];
            this.failures = new Throwable[specs.size()];
        }

        void work() {
            for (int i; !failed && (i = next.getAndIncrement()) < specs.size(); ) {
                try {
                    results[i] = runOne(i);
                } catch (Throwable e) { // kept, and thrown by the caller's thread once every worker is done
                    failures[i] = e;
                    failed = true;
                }
            }
        }

        private MlpRunResult runOne(int i) throws IOException {
            MlpRunSpec s = specs.get(i);
            boolean cached = finished(out, s);
            if (!cached && stop != null && stop.requested()) throw RunStoppedException.beforeRun(s.runId(), stop.reason());
            long t0 = System.nanoTime();
            MlpRunResult r = MlpExperiment.run(s, data, out.resolve(s.runId()), backend, cached ? ProgressListener.NONE : epochs, stop);
            double secs = (System.nanoTime() - t0) / 1e9;
            synchronized (this) {
                if (!cached) { trained++; trainedSeconds += secs; }
                int left = toTrain - trained;
                String eta = trained == 0 ? (left == 0 ? "0s" : "?") : formatSeconds(trainedSeconds / trained * left / side);
                log.printf(Locale.ROOT, "sweep: run %d/%d %-28s %s  test %.1f%%  v1 %.3f%s  %.1fs  (%d to train, ETA %s)%n",
                        i + 1, specs.size(), s.runId(), cached ? "already done" : "done", 100 * r.finalEpoch().testAcc(),
                        r.finalEpoch().v1Mean(), r.learned() ? "" : "  DID NOT LEARN", secs, left, eta);
            }
            return r;
        }

        /** The failure of the earliest run in spec order (the others are attached as suppressed). */
        void rethrowFirstFailure() throws IOException {
            Throwable first = null;
            for (Throwable t : failures) {
                if (t == null) continue;
                if (first == null) first = t;
                else if (t != first) first.addSuppressed(t);
            }
            if (first == null) return;
            if (first instanceof IOException e) throw e;
            if (first instanceof RuntimeException e) throw e;
            if (first instanceof Error e) throw e;
            throw new IllegalStateException(first);
        }
    }

    /** "42s", "3m05s", "1h02m". */
    static String formatSeconds(double s) {
        if (!Double.isFinite(s) || s < 0) return "?";
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
