package io.geocont.report;

import io.geocont.analysis.AnalysisResult;
import io.geocont.analysis.SeriesResult;
import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The long table of analyze: one row per model, step, projection and adjacent layer pair, so a
 * notebook can group and plot without parsing the JSON. s1 and s1/s2 are of {@code layer}; an
 * undefined pair has empty v1/u1 cells and says why in {@code undefined}.
 */
public final class ContinuityCsv {
    public static final List<String> COLUMNS = List.of("model", "step", "projection", "layer", "next_layer", "v1", "u1",
            "baseline_v1", "baseline_u1", "s1", "s1_over_s2", "undefined");

    private ContinuityCsv() { }

    /** One checkpoint (the step cell is empty). */
    public static String of(AnalysisResult r) {
        StringBuilder b = header();
        rows(b, r, "");
        return b.toString();
    }

    public static String of(SeriesResult s) {
        StringBuilder b = header();
        for (SeriesResult.Entry e : s.entries()) rows(b, e.result(), Csv.integer(e.step()));
        return b.toString();
    }

    public static void write(Path file, String csv) throws IOException { AtomicFiles.writeString(file, csv); }

    private static StringBuilder header() {
        StringBuilder b = new StringBuilder();
        Csv.row(b, COLUMNS);
        return b;
    }

    private static void rows(StringBuilder b, AnalysisResult r, String step) {
        for (AnalysisResult.ProjectionResult p : r.projections().values())
            for (int i = 0; i < p.v1Pairs().length; i++) {
                int layer = r.firstLayer() + i;
                Csv.row(b, List.of(r.model(), step, p.projection(), Csv.integer(layer), Csv.integer(layer + 1),
                        Csv.num(p.v1Pairs()[i]), Csv.num(p.u1Pairs()[i]), Csv.num(p.baselineV1()), Csv.num(p.baselineU1()),
                        Csv.num(p.s1()[i]), Csv.num(p.s1OverS2()[i]), undefined(p.undefined(), i, layer)));
            }
    }

    /** Why pair (i, i+1) is undefined, naming the layer at fault; empty when it is defined. */
    static String undefined(List<String> why, int i, int layer) {
        if (why.get(i) != null) return "layer " + layer + ": " + why.get(i);
        if (why.get(i + 1) != null) return "layer " + (layer + 1) + ": " + why.get(i + 1);
        return "";
    }
}
