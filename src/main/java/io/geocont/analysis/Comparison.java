package io.geocont.analysis;

import io.geocont.linalg.LayerSource;
import io.geocont.linalg.SvdResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two same-shaped checkpoints (a base model and its fine-tune): how far each layer's
 * leading directions moved, and how continuous across layers the change itself is.
 */
public final class Comparison {
    private Comparison() { }

    public static ComparisonResult compare(StackAnalyzer analyzer, StackAnalyzer.Model modelA, Map<String, LayerSource> a,
                                           StackAnalyzer.Model modelB, Map<String, LayerSource> b, int from, int to) throws IOException {
        if (!a.keySet().equals(b.keySet()))
            throw new IllegalArgumentException(modelB.name() + " has projections " + b.keySet() + " but " + modelA.name() + " has " + a.keySet());
        if (modelA.layers() != modelB.layers())
            throw new IllegalArgumentException(modelB.name() + " has " + modelB.layers() + " layers but " + modelA.name() + " has " + modelA.layers());
        for (String p : a.keySet()) { // shapes first: a mismatch must not cost two full analyses
            var la = a.get(p).layer(0);
            var lb = b.get(p).layer(0);
            if (la.rows() != lb.rows() || la.cols() != lb.cols())
                throw new IllegalArgumentException(p + ": " + modelB.name() + " is " + lb.rows() + "x" + lb.cols() + " but " + modelA.name()
                        + " is " + la.rows() + "x" + la.cols() + " (compare needs same-shaped checkpoints)");
        }
        AnalysisResult ra = analyzer.analyze(modelA, from, to, a);
        AnalysisResult rb = analyzer.analyze(modelB, from, to, b);
        Map<String, LayerSource> diff = new LinkedHashMap<>();
        for (String p : a.keySet()) {
            diff.put(p, new DifferenceSource(p + " of B - A", a.get(p), b.get(p)));
        }
        var dModel = new StackAnalyzer.Model(modelB.name() + " - " + modelA.name(), "difference", modelA.family(), modelA.layers());
        AnalysisResult rd = analyzer.analyze(dModel, from, to, diff);
        Map<String, double[]> cv = new LinkedHashMap<>(), cu = new LinkedHashMap<>();
        Map<String, List<String>> undef = new LinkedHashMap<>();
        for (String p : a.keySet()) {
            List<SvdResult> ta = ra.triplets().get(p), tb = rb.triplets().get(p);
            double[] v = new double[ta.size()], u = new double[ta.size()];
            List<String> why = new ArrayList<>();
            for (int l = 0; l < ta.size(); l++) {
                String wa = ta.get(l).leadingPairUndefined(SvdResult.DEFAULT_TIE_TOLERANCE);
                String wb = tb.get(l).leadingPairUndefined(SvdResult.DEFAULT_TIE_TOLERANCE);
                String w = wa != null ? "A: " + wa : wb != null ? "B: " + wb : null;
                why.add(w);
                v[l] = w != null ? Double.NaN : Continuity.absCos(ta.get(l).v()[0], tb.get(l).v()[0]);
                u[l] = w != null ? Double.NaN : Continuity.absCos(ta.get(l).u()[0], tb.get(l).u()[0]);
            }
            cv.put(p, v);
            cu.put(p, u);
            undef.put(p, java.util.Collections.unmodifiableList(why));
        }
        return new ComparisonResult(ra, rb, rd, cv, cu, undef);
    }
}
