package io.geocont.analysis;

import java.util.List;

/** One {@link AnalysisResult} per checkpoint of a training run, in step order. */
public record SeriesResult(List<Entry> entries) {
    /** A checkpoint's training step (its position when the name carries none), how it was named, its result. */
    public record Entry(long step, String label, AnalysisResult result) { }

    public SeriesResult { entries = List.copyOf(entries); }
}
