package io.geocont.cli;

import io.geocont.analysis.SeriesAnalyzer;
import io.geocont.io.checkpoint.Checkpoint;
import io.geocont.io.checkpoint.CheckpointException;
import io.geocont.io.checkpoint.CheckpointSeries;
import io.geocont.linalg.LayerSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Turns analyze's PATH arguments into the checkpoints of a series (or null for one checkpoint). */
final class SeriesSteps {
    private SeriesSteps() { }

    /**
     * Several paths: a series in the order given, each step read from its name (checkpoint-N,
     * step-N, global_stepN) when every name carries one, else its position. One folder holding
     * step subfolders: those, ordered by step. Anything else: null (a single checkpoint).
     */
    static List<SeriesAnalyzer.Step> of(List<Path> paths) throws CheckpointException {
        if (paths.size() == 1) {
            List<CheckpointSeries.StepFolder> found = CheckpointSeries.stepsIn(paths.get(0));
            if (found.isEmpty()) return null;
            if (io.geocont.io.checkpoint.Checkpoint.hasWeights(paths.get(0))) // a Trainer output folder: the final model beside its checkpoints
                System.err.println("analyze: " + paths.get(0) + " holds weights of its own and " + found.size()
                        + " step subfolders; analyzing the series (pass its weights file to analyze the final model alone)");
            List<SeriesAnalyzer.Step> out = new ArrayList<>();
            for (var f : found) out.add(step(f.step(), f.path()));
            return out;
        }
        boolean named = paths.stream().allMatch(p -> CheckpointSeries.stepOf(p).isPresent());
        List<SeriesAnalyzer.Step> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            OptionalLong n = CheckpointSeries.stepOf(paths.get(i));
            out.add(step(named ? n.getAsLong() : i, paths.get(i)));
        }
        return out;
    }

    private static SeriesAnalyzer.Step step(long step, Path p) {
        return new SeriesAnalyzer.Step(step, p.toString(), () -> {
            System.err.println("analyze: step " + step + ": " + p); // the per-layer progress that follows is this checkpoint's
            return opened(Checkpoint.open(p));
        });
    }

    static SeriesAnalyzer.Opened opened(Checkpoint c) {
        return new SeriesAnalyzer.Opened() {
            @Override public io.geocont.analysis.StackAnalyzer.Model model() { return AnalyzeCommand.modelOf(c); }
            @Override public String architecture() {
                return c.architecture().family().name().toLowerCase(java.util.Locale.ROOT) + " naming, " + c.layers() + " layers, projections "
                        + c.projections().stream().map(p -> p.key).toList();
            }
            @Override public Map<String, LayerSource> stacks(int from, int to) { return c.stacks(from, to); }
            @Override public void close() { c.close(); }
        };
    }
}
