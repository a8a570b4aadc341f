package io.geocont.report;

import io.geocont.analysis.AnalysisResult;
import io.geocont.io.AtomicFiles;
import io.geocont.io.checkpoint.SafetensorsWriter;
import io.geocont.plot.Plots;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders an {@link AnalysisResult}: the console table, the JSON document, the per-pair curves. */
public final class AnalysisReport {
    private AnalysisReport() { }

    public static String table(AnalysisResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "model: %s  [%s naming, layers %d:%d of %d, %s]%n", r.model(), r.family(),
                r.firstLayer(), r.endLayer(), r.layers(), r.svd()));
        b.append(String.format(Locale.ROOT, "%-5s %-12s %8s %8s %7s   %8s %8s %7s%n",
                "proj", "out x in", "v1 mean", "base", "ratio", "u1 mean", "base", "ratio"));
        List<String> notes = new ArrayList<>();
        for (AnalysisResult.ProjectionResult p : r.projections().values()) {
            b.append(String.format(Locale.ROOT, "%-5s %-12s %8s %8.4f %7s   %8s %8.4f %7s%n", p.projection(),
                    p.rows() + "x" + p.cols(), num(p.v1Mean(), "%8.4f"), p.baselineV1(), num(p.v1Ratio(), "%6.1fx"),
                    num(p.u1Mean(), "%8.4f"), p.baselineU1(), num(p.u1Ratio(), "%6.1fx")));
            for (int i = 0; i < p.undefined().size(); i++)
                if (p.undefined().get(i) != null)
                    notes.add(p.projection() + " layer " + (r.firstLayer() + i) + ": v1/u1 undefined, " + p.undefined().get(i));
        }
        b.append("(|cos| of leading singular vectors of adjacent layers, mean over pairs; base = E|cos| of random unit vectors in that dimension)\n");
        if (!notes.isEmpty()) {
            b.append("undefined leading pairs (left out of the means; pairs touching them are 'undefined' in the JSON as null):\n");
            for (String n : notes) b.append("  ").append(n).append('\n');
        }
        return b.toString();
    }

    /** A number, or "undefined" where it is NaN (no defined pair). */
    static String num(double x, String format) {
        return Double.isNaN(x) ? "undef" : String.format(Locale.ROOT, format, x);
    }

    /** The JSON document: {"model", "layers", "projections": {"q": {"shape", "v1": {mean, pairs}, "u1", "baseline_v1", ...}}}. */
    public static Map<String, Object> json(AnalysisResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", r.model());
        root.put("source", r.source());
        root.put("family", r.family());
        root.put("layers", r.layers());
        root.put("layer_range", List.of(r.firstLayer(), r.endLayer()));
        root.put("svd", r.svd());
        root.put("k", r.k());
        Map<String, Object> projections = new LinkedHashMap<>();
        for (AnalysisResult.ProjectionResult p : r.projections().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shape", List.of(p.rows(), p.cols()));
            // an undefined (NaN) value is written as null by the shared JSON mapper (io.NanAsNull)
            Map<String, Object> v1 = new LinkedHashMap<>(), u1 = new LinkedHashMap<>();
            v1.put("mean", p.v1Mean());
            v1.put("pairs", p.v1Pairs());
            u1.put("mean", p.u1Mean());
            u1.put("pairs", p.u1Pairs());
            m.put("v1", v1);
            m.put("u1", u1);
            m.put("baseline_v1", p.baselineV1());
            m.put("baseline_u1", p.baselineU1());
            m.put("ratio_v1", p.v1Ratio());
            m.put("ratio_u1", p.u1Ratio());
            m.put("s1", p.s1());
            m.put("s1_over_s2", p.s1OverS2());
            m.put("undefined", p.undefined());
            m.put("seconds", p.seconds());
            m.put("cpu_seconds", p.cpuSeconds());
            if (p.topKV() != null) {
                m.put("topk_v", p.topKV());
                m.put("topk_u", p.topKU());
            }
            projections.put(p.projection(), m);
        }
        root.put("projections", projections);
        return root;
    }

    /** Writes v1-pairs and u1-pairs curves (PNG + SVG) into {@code dir}; returns the PNG paths. */
    public static List<Path> plots(AnalysisResult r, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String side : List.of("v1", "u1")) {
            XYChart chart = new XYChartBuilder().width(900).height(520)
                    .title(r.model() + ": adjacent-layer |cos| of " + side)
                    .xAxisTitle("layer pair (l, l+1), l =").yAxisTitle("|cos(" + side + "(l), " + side + "(l+1))|").build();
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            for (AnalysisResult.ProjectionResult p : r.projections().values()) {
                double[] ys = side.equals("v1") ? p.v1Pairs() : p.u1Pairs();
                double[] xs = new double[ys.length];
                for (int i = 0; i < xs.length; i++) xs[i] = r.firstLayer() + i;
                double[] shown = ys.clone(); // an undefined pair is drawn as a gap
                chart.addSeries(p.projection(), xs, shown);
            }
            Path png = Plots.save(chart, dir.resolve(side + "-pairs"));
            if (png != null) out.add(png);
        }
        return out;
    }

    /** The kept triplets as float64 safetensors: layers.L.P.{s,u,v} with shapes [1,k], [k,out], [k,in]. */
    public static void writeVectors(AnalysisResult r, Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (var e : r.triplets().entrySet())
            for (int i = 0; i < e.getValue().size(); i++) {
                var t = e.getValue().get(i);
                String base = "layers." + (r.firstLayer() + i) + "." + e.getKey() + ".";
                w.addF64(base + "s", new double[][] {t.s()}).addF64(base + "u", t.u()).addF64(base + "v", t.v());
            }
        w.write(file);
    }

    public static void writeJson(AnalysisResult r, Path file) throws IOException {
        AtomicFiles.writeJson(file, json(r));
    }
}
