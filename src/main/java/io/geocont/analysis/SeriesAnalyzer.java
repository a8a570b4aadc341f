package io.geocont.analysis;

import io.geocont.linalg.LayerSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link StackAnalyzer} over the checkpoints of a training run, one checkpoint open at a
 * time (so a series costs the memory of one model), and insists they share one architecture:
 * a continuity curve across steps only means something when every step measures the same matrices.
 */
public final class SeriesAnalyzer {
    /** One checkpoint, open while it is analyzed. */
    public interface Opened extends AutoCloseable {
        StackAnalyzer.Model model();

        /** What must match across the series (naming family, layer count, projections), in words. */
        String architecture();

        /** Every projection's layers [from, to), index 0 = layer from. */
        Map<String, LayerSource> stacks(int from, int to);

        @Override void close();
    }

    /** Opens a checkpoint when its turn comes. */
    public interface Opener {
        Opened open() throws IOException;
    }

    /** A checkpoint of the series: its step, a label for messages (its path), how to open it. */
    public record Step(long step, String label, Opener opener) { }

    /** Turns the first checkpoint's layer count into the [from, to) range every checkpoint is analyzed over. */
    public interface Range {
        int[] of(int layers);
    }

    private final StackAnalyzer analyzer;

    public SeriesAnalyzer(StackAnalyzer analyzer) { this.analyzer = analyzer; }

    public SeriesResult analyze(List<Step> steps, Range range) throws IOException {
        if (steps.isEmpty()) throw new IllegalArgumentException("a series needs at least one checkpoint");
        List<SeriesResult.Entry> out = new ArrayList<>();
        String firstArch = null;
        int[] r = null;
        for (Step s : steps) {
            try (Opened o = s.opener().open()) {
                String arch = o.architecture();
                if (firstArch == null) {
                    firstArch = arch;
                    r = range.of(o.model().layers());
                } else if (!arch.equals(firstArch)) {
                    throw new IllegalArgumentException(s.label() + " is " + arch + " but " + steps.get(0).label() + " is " + firstArch
                            + ": every checkpoint of a series must share one architecture");
                }
                AnalysisResult res = analyzer.analyze(o.model(), r[0], r[1], o.stacks(r[0], r[1]));
                if (!out.isEmpty()) checkShapes(out.get(0), steps.get(0).label(), res, s.label());
                out.add(new SeriesResult.Entry(s.step(), s.label(), res));
            }
        }
        return new SeriesResult(out);
    }

    /** Same projections with the same shapes (a config can agree while the tensors do not). */
    private static void checkShapes(SeriesResult.Entry first, String firstLabel, AnalysisResult r, String label) {
        var a = first.result().projections();
        var b = r.projections();
        if (!a.keySet().equals(b.keySet()))
            throw new IllegalArgumentException(label + " has projections " + b.keySet() + " but " + firstLabel + " has " + a.keySet());
        for (var e : a.entrySet()) {
            var p = e.getValue();
            var q = b.get(e.getKey());
            if (p.rows() != q.rows() || p.cols() != q.cols())
                throw new IllegalArgumentException(label + ": " + e.getKey() + " is " + q.rows() + "x" + q.cols() + " but "
                        + p.rows() + "x" + p.cols() + " in " + firstLabel + ": every checkpoint of a series must share one architecture");
        }
    }
}
