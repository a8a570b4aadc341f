package io.geocont.report;

import io.geocont.analysis.AnalysisResult;
import io.geocont.analysis.ComparisonResult;
import io.geocont.analysis.Continuity;
import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link ComparisonResult}: a per-projection table, JSON, and a per-layer CSV. */
public final class ComparisonReport {
    public static final List<String> COLUMNS = List.of("model_a", "model_b", "projection", "layer", "v1_ab", "u1_ab",
            "diff_s1", "diff_next_layer", "diff_v1", "diff_u1", "baseline_v1", "baseline_u1", "undefined");

    private ComparisonReport() { }

    public static String table(ComparisonResult c) {
        AnalysisResult d = c.difference();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "A: %s%nB: %s%n[%s naming, layers %d:%d of %d, %s]%n", c.a().model(), c.b().model(),
                d.family(), d.firstLayer(), d.endLayer(), d.layers(), d.svd()));
        b.append(String.format(Locale.ROOT, "%-5s %-12s %9s %9s   %9s %9s %7s   %9s %7s%n", "proj", "out x in",
                "A~B v1", "A~B u1", "dW v1", "base", "ratio", "dW u1", "ratio"));
        List<String> notes = new ArrayList<>();
        for (AnalysisResult.ProjectionResult p : d.projections().values()) {
            String k = p.projection();
            b.append(String.format(Locale.ROOT, "%-5s %-12s %9s %9s   %9s %9.4f %7s   %9s %7s%n", k, p.rows() + "x" + p.cols(),
                    AnalysisReport.num(Continuity.mean(c.crossV1().get(k)), "%9.4f"), AnalysisReport.num(Continuity.mean(c.crossU1().get(k)), "%9.4f"),
                    AnalysisReport.num(p.v1Mean(), "%9.4f"), p.baselineV1(), AnalysisReport.num(p.v1Ratio(), "%6.1fx"),
                    AnalysisReport.num(p.u1Mean(), "%9.4f"), AnalysisReport.num(p.u1Ratio(), "%6.1fx")));
            long zero = p.undefined().stream().filter(java.util.Objects::nonNull).count();
            if (zero > 0) notes.add(k + ": the difference is undefined in " + zero + " of " + p.undefined().size() + " layers ("
                    + p.undefined().stream().filter(java.util.Objects::nonNull).findFirst().orElse("") + ")");
        }
        b.append("(A~B: mean over layers of |cos| between A's and B's leading vectors of the same layer;\n"
                + " dW: adjacent-layer continuity of W_B - W_A, mean over pairs; base = E|cos| of random unit vectors)\n");
        for (String n : notes) b.append("  ").append(n).append('\n');
        return b.toString();
    }

    public static Map<String, Object> json(ComparisonResult c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("a", c.a().model());
        root.put("b", c.b().model());
        Map<String, Object> ps = new LinkedHashMap<>();
        for (String k : c.crossV1().keySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("v1_ab", c.crossV1().get(k));
            m.put("u1_ab", c.crossU1().get(k));
            m.put("undefined_ab", c.crossUndefined().get(k));
            ps.put(k, m);
        }
        root.put("projections", ps);
        root.put("difference", AnalysisReport.json(c.difference()));
        root.put("analysis_a", AnalysisReport.json(c.a()));
        root.put("analysis_b", AnalysisReport.json(c.b()));
        return root;
    }

    public static void writeJson(ComparisonResult c, Path file) throws IOException { AtomicFiles.writeJson(file, json(c)); }

    /** One row per projection and layer; the diff_* pair columns are of (layer, layer + 1) and empty on the last layer. */
    public static String csv(ComparisonResult c) {
        StringBuilder b = new StringBuilder();
        Csv.row(b, COLUMNS);
        AnalysisResult d = c.difference();
        for (AnalysisResult.ProjectionResult p : d.projections().values()) {
            String k = p.projection();
            double[] v = c.crossV1().get(k), u = c.crossU1().get(k);
            for (int i = 0; i < v.length; i++) {
                int layer = d.firstLayer() + i;
                boolean pair = i + 1 < v.length;
                List<String> why = new ArrayList<>();
                if (c.crossUndefined().get(k).get(i) != null) why.add("A~B " + c.crossUndefined().get(k).get(i));
                if (p.undefined().get(i) != null) why.add("dW " + p.undefined().get(i));
                Csv.row(b, List.of(c.a().model(), c.b().model(), k, Csv.integer(layer), Csv.num(v[i]), Csv.num(u[i]),
                        Csv.num(p.s1()[i]), pair ? Csv.integer(layer + 1) : "", pair ? Csv.num(p.v1Pairs()[i]) : "",
                        pair ? Csv.num(p.u1Pairs()[i]) : "", Csv.num(p.baselineV1()), Csv.num(p.baselineU1()), String.join("; ", why)));
            }
        }
        return b.toString();
    }
}
