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

    /** Every projection's layer x layer matrices, v1 and u1, computed once for the JSON and the heat maps. */
    public static Map<String, Map<Continuity.Side, double[][]>> matrices(AnalysisResult r) {
        Map<String, Map<Continuity.Side, double[][]>> all = new LinkedHashMap<>();
        for (var e : r.triplets().entrySet()) {
            Map<Continuity.Side, double[][]> sides = new LinkedHashMap<>();
            for (Continuity.Side side : Continuity.Side.values()) sides.put(side, AllPairs.of(e.getValue(), side));
            all.put(e.getKey(), sides);
        }
        return all;
    }

    /** {"q": {"layers": [first..], "v1": [[...]], "u1": [[...]]}, ...}; undefined cells are null. */
    public static Map<String, Object> json(AnalysisResult r, Map<String, Map<Continuity.Side, double[][]>> matrices) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (var e : matrices.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Integer> layers = new ArrayList<>();
            for (int l = 0; l < r.triplets().get(e.getKey()).size(); l++) layers.add(r.firstLayer() + l);
            m.put("layers", layers);
            for (var side : e.getValue().entrySet()) {
                List<Object> rows = new ArrayList<>();
                for (double[] row : side.getValue()) rows.add(row); // NaN cells are written as null by the shared JSON mapper
                m.put(side.getKey() == Continuity.Side.V ? "v1" : "u1", rows);
            }
            root.put(e.getKey(), m);
        }
        return root;
    }

    /** all-pairs.json in {@code dir} and the heat maps beside it, from one computation; returns the PNGs. */
    public static List<Path> write(AnalysisResult r, Path dir) throws IOException {
        var matrices = matrices(r);
        AtomicFiles.writeJson(dir.resolve("all-pairs.json"), json(r, matrices));
        return heatMaps(r, matrices, dir);
    }

    /** all-pairs-P-v1 / -u1 heat maps (PNG + SVG) in {@code dir}; returns the PNGs (none where figures cannot be drawn). */
    public static List<Path> heatMaps(AnalysisResult r, Map<String, Map<Continuity.Side, double[][]>> matrices, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (var e : matrices.entrySet())
            for (var sideMatrix : e.getValue().entrySet()) {
                String s = sideMatrix.getKey() == Continuity.Side.V ? "v1" : "u1";
                double[][] m = sideMatrix.getValue();
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
