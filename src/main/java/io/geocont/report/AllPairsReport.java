package io.geocont.report;

import io.geocont.analysis.AllPairs;
import io.geocont.analysis.AnalysisResult;
import io.geocont.analysis.Continuity;
import io.geocont.io.AtomicFiles;
import io.geocont.plot.Plots;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The layer x layer |cos| of every projection's v1 and u1: all-pairs.json and one heat map per projection and side. */
public final class AllPairsReport {
    private AllPairsReport() { }

    /** {"q": {"layers": [first..], "v1": [[...]], "u1": [[...]]}, ...}; undefined cells are null. */
    public static Map<String, Object> json(AnalysisResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (var e : r.triplets().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Integer> layers = new ArrayList<>();
            for (int l = 0; l < e.getValue().size(); l++) layers.add(r.firstLayer() + l);
            m.put("layers", layers);
            for (Continuity.Side side : Continuity.Side.values()) {
                List<Object> rows = new ArrayList<>();
                for (double[] row : AllPairs.of(e.getValue(), side)) rows.add(row); // NaN cells are written as null by the shared JSON mapper
                m.put(side == Continuity.Side.V ? "v1" : "u1", rows);
            }
            root.put(e.getKey(), m);
        }
        return root;
    }

    public static void writeJson(AnalysisResult r, Path file) throws IOException { AtomicFiles.writeJson(file, json(r)); }

    /** all-pairs-P-v1 / -u1 heat maps (PNG + SVG) in {@code dir}; returns the PNGs (none where figures cannot be drawn). */
    public static List<Path> heatMaps(AnalysisResult r, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (var e : r.triplets().entrySet())
            for (Continuity.Side side : Continuity.Side.values()) {
                String s = side == Continuity.Side.V ? "v1" : "u1";
                double[][] m = AllPairs.of(e.getValue(), side);
                List<Integer> layers = new ArrayList<>();
                for (int l = 0; l < m.length; l++) layers.add(r.firstLayer() + l);
                List<Number[]> cells = new ArrayList<>();
                for (int i = 0; i < m.length; i++)
                    for (int j = 0; j < m.length; j++)
                        if (!Double.isNaN(m[i][j])) cells.add(new Number[] {i, j, m[i][j]}); // an undefined cell stays blank
                HeatMapChart chart = new HeatMapChartBuilder().width(640).height(560)
                        .title(r.model() + " " + e.getKey() + ": |cos(" + s + "(i), " + s + "(j))|").xAxisTitle("layer i").yAxisTitle("layer j").build();
                chart.getStyler().setMin(0).setMax(1).setShowValue(m.length <= 12).setHeatMapValueDecimalPattern("0.00");
                chart.addSeries(e.getKey() + " " + s, layers, layers, cells);
                Path png = Plots.save(chart, dir.resolve("all-pairs-" + e.getKey() + "-" + s));
                if (png != null) out.add(png);
            }
        return out;
    }
}
