package io.geocont.report;

import io.geocont.analysis.AnalysisResult;
import io.geocont.analysis.SeriesResult;
import io.geocont.io.AtomicFiles;
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

/** Renders a {@link SeriesResult}: continuity per step as a table, a JSON document, and curves against the step. */
public final class SeriesReport {
    private SeriesReport() { }

    public static String table(SeriesResult s) {
        AnalysisResult first = s.entries().get(0).result();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "series: %d checkpoints  [%s naming, layers %d:%d of %d, %s]%n", s.entries().size(),
                first.family(), first.firstLayer(), first.endLayer(), first.layers(), first.svd()));
        for (SeriesResult.Entry e : s.entries()) b.append(String.format(Locale.ROOT, "  step %d: %s%n", e.step(), e.label()));
        b.append(String.format(Locale.ROOT, "%10s %-5s %8s %7s   %8s %7s%n", "step", "proj", "v1 mean", "ratio", "u1 mean", "ratio"));
        int undefined = 0;
        for (SeriesResult.Entry e : s.entries())
            for (AnalysisResult.ProjectionResult p : e.result().projections().values()) {
                b.append(String.format(Locale.ROOT, "%10d %-5s %8s %7s   %8s %7s%n", e.step(), p.projection(),
                        AnalysisReport.num(p.v1Mean(), "%8.4f"), AnalysisReport.num(p.v1Ratio(), "%6.1fx"),
                        AnalysisReport.num(p.u1Mean(), "%8.4f"), AnalysisReport.num(p.u1Ratio(), "%6.1fx")));
                undefined += (int) p.undefined().stream().filter(java.util.Objects::nonNull).count();
            }
        b.append("(|cos| of leading singular vectors of adjacent layers, mean over pairs; ratio = mean / E|cos| of random unit vectors)\n");
        if (undefined > 0) b.append(undefined).append(" undefined leading pairs left out of the means (see the CSV or JSON for which and why)\n");
        return b.toString();
    }

    /** {"steps": [N...], "checkpoints": [{"step", "label", "analysis": (as analyze's JSON)}]}. */
    public static Map<String, Object> json(SeriesResult s) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("steps", s.entries().stream().map(SeriesResult.Entry::step).toList());
        List<Object> cps = new ArrayList<>();
        for (SeriesResult.Entry e : s.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", e.step());
            m.put("label", e.label());
            m.put("analysis", AnalysisReport.json(e.result()));
            cps.add(m);
        }
        root.put("checkpoints", cps);
        return root;
    }

    public static void writeJson(SeriesResult s, Path file) throws IOException { AtomicFiles.writeJson(file, json(s)); }

    /**
     * Mean continuity against the step, one line per projection: series.png with a v1 and a u1
     * panel, and each panel alone as series-v1 / series-u1 (PNG + SVG). Returns the PNGs.
     */
    public static List<Path> plots(SeriesResult s, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        List<XYChart> panels = new ArrayList<>();
        double[] xs = s.entries().stream().mapToDouble(SeriesResult.Entry::step).toArray();
        for (String side : List.of("v1", "u1")) {
            XYChart chart = new XYChartBuilder().width(900).height(520)
                    .title("adjacent-layer continuity of " + side + " over training")
                    .xAxisTitle("step").yAxisTitle("mean |cos(" + side + "(l), " + side + "(l+1))|").build();
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            for (String p : s.entries().get(0).result().projections().keySet()) {
                double[] ys = new double[xs.length];
                for (int i = 0; i < ys.length; i++) {
                    var pr = s.entries().get(i).result().projections().get(p);
                    ys[i] = side.equals("v1") ? pr.v1Mean() : pr.u1Mean();
                }
                chart.addSeries(p, xs, ys);
            }
            panels.add(chart);
            Path png = Plots.save(chart, dir.resolve("series-" + side));
            if (png != null) out.add(png);
        }
        Path both = Plots.savePanels(panels, dir.resolve("series"));
        if (both != null) out.add(0, both);
        return out;
    }
}
