package io.geocont.report;

import io.geocont.analysis.AnalysisResult;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The shuffled-entries null beside the analytic baseline: a table section and a JSON block. */
public final class ShuffledBaselineReport {
    private ShuffledBaselineReport() { }

    public static String table(AnalysisResult shuffled, long seed) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "shuffled baseline (entries of each matrix permuted at random, seed %d, measured the same way):%n", seed));
        b.append(String.format(Locale.ROOT, "%-5s %-12s %8s %8s   %8s %8s%n", "proj", "out x in", "v1 shuf", "base", "u1 shuf", "base"));
        for (AnalysisResult.ProjectionResult p : shuffled.projections().values())
            b.append(String.format(Locale.ROOT, "%-5s %-12s %8s %8.4f   %8s %8.4f%n", p.projection(), p.rows() + "x" + p.cols(),
                    AnalysisReport.num(p.v1Mean(), "%8.4f"), p.baselineV1(), AnalysisReport.num(p.u1Mean(), "%8.4f"), p.baselineU1()));
        return b.toString();
    }

    /** {"seed", "projections": {"q": {"v1": {"mean", "pairs"}, "u1": {...}}, ...}}. */
    public static Map<String, Object> json(AnalysisResult shuffled, long seed) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("seed", seed);
        Map<String, Object> ps = new LinkedHashMap<>();
        for (AnalysisResult.ProjectionResult p : shuffled.projections().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("v1", side(p.v1Mean(), p.v1Pairs()));
            m.put("u1", side(p.u1Mean(), p.u1Pairs()));
            ps.put(p.projection(), m);
        }
        root.put("projections", ps);
        return root;
    }

    private static Map<String, Object> side(double mean, double[] pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("pairs", pairs);
        return m;
    }
}
