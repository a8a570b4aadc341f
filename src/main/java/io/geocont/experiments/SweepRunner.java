package io.geocont.experiments;

import io.geocont.backend.Backend;
import io.geocont.data.Split;
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

/**
 * Runs a list of specs one after another into {@code out/<run-id>/}. Finished runs (result.json
 * present) are read back, not trained; a run with a checkpoint resumes from it (MlpExperiment
 * does both). Prints "run i/N" and an overall ETA from the mean time of the runs trained so far.
 * A raised {@link StopFlag} ends the sweep with {@link RunStoppedException}: before the next run
 * starts, or inside the current one after its step (with a checkpoint, see MlpExperiment).
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
        Files.createDirectories(out);
        int toTrain = 0;
        for (MlpRunSpec s : specs) if (!Files.isRegularFile(out.resolve(s.runId()).resolve(MlpExperiment.RESULT))) toTrain++;
        log.printf(Locale.ROOT, "sweep: %d runs into %s (%d finished already, %d to train)%n", specs.size(), out,
                specs.size() - toTrain, toTrain);
        ProgressListener epochs = perEpoch ? new ProgressListener.Printing(log) : ProgressListener.NONE;
        List<MlpRunResult> results = new ArrayList<>();
        double trainedSeconds = 0;
        int trained = 0;
        for (int i = 0; i < specs.size(); i++) {
            MlpRunSpec s = specs.get(i);
            Path dir = out.resolve(s.runId());
            boolean cached = Files.isRegularFile(dir.resolve(MlpExperiment.RESULT));
            if (!cached && stop != null && stop.requested()) throw RunStoppedException.beforeRun(s.runId(), stop.reason());
            long t0 = System.nanoTime();
            MlpRunResult r = MlpExperiment.run(s, data, dir, backend, cached ? ProgressListener.NONE : epochs, stop);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (!cached) { trained++; trainedSeconds += secs; }
            int left = toTrain - trained;
            String eta = trained == 0 ? (left == 0 ? "0s" : "?") : formatSeconds(trainedSeconds / trained * left);
            log.printf(Locale.ROOT, "sweep: run %d/%d %-28s %s  test %.1f%%  v1 %.3f%s  %.1fs  (%d to train, ETA %s)%n",
                    i + 1, specs.size(), s.runId(), cached ? "already done" : "done", 100 * r.finalEpoch().testAcc(),
                    r.finalEpoch().v1Mean(), r.learned() ? "" : "  DID NOT LEARN", secs, left, eta);
            results.add(r);
        }
        return results;
    }

    /** "42s", "3m05s", "1h02m". */
    static String formatSeconds(double s) {
        if (!Double.isFinite(s) || s < 0) return "?";
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
