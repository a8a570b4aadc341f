package io.geocont.plot;

import io.geocont.train.ProjectionStats;
import io.geocont.train.TransformerRun;
import io.geocont.models.transformer.TransformerModel;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fig. 3's charts from a run (its numbers are fig3.json, experiments.transformer.Fig3Output):
 * the grouped bar chart {@code fig3.png/.svg} and the continuity-vs-step curves
 * {@code fig3_v1_vs_step}, {@code fig3_u1_vs_step}.
 */
public final class Fig3Figures {
    private Fig3Figures() { }

    /** Draws the three charts into {@code dir} (skipped, as every figure, where Java cannot draw: {@link Plots}). */
    public static void write(TransformerRun.Result r, Path dir) throws IOException {
        Plots.save(barChart(r), dir.resolve("fig3"));
        for (String side : List.of("v1", "u1")) Plots.save(stepChart(r, side), dir.resolve("fig3_" + side + "_vs_step"));
    }

    static CategoryChart barChart(TransformerRun.Result r) {
        CategoryChart c = new CategoryChartBuilder().width(900).height(520)
                .title(String.format(Locale.ROOT, "Per-projection continuity after %d steps (val loss %.3f)", r.steps(), r.valLoss()))
                .xAxisTitle("projection").yAxisTitle("mean |cos| of adjacent blocks").build();
        List<String> names = TransformerModel.PROJECTIONS;
        List<Double> v1 = new ArrayList<>(), u1 = new ArrayList<>(), bv = new ArrayList<>(), bu = new ArrayList<>();
        for (String n : names) {
            ProjectionStats p = r.projections().get(n);
            v1.add(p.v1()); u1.add(p.u1()); bv.add(p.baselineV1()); bu.add(p.baselineU1());
        }
        c.addSeries("v1 (input space)", names, v1);
        c.addSeries("u1 (output space)", names, u1);
        c.addSeries("random baseline, v1 (in-dim)", names, bv).setChartCategorySeriesRenderStyle(
                org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        c.addSeries("random baseline, u1 (out-dim)", names, bu).setChartCategorySeriesRenderStyle(
                org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        return c;
    }

    @SuppressWarnings("unchecked")
    static XYChart stepChart(TransformerRun.Result r, String side) {
        XYChart c = new XYChartBuilder().width(900).height(520)
                .title(side + " continuity during training").xAxisTitle("step").yAxisTitle("mean |cos| of adjacent blocks").build();
        for (String n : TransformerModel.PROJECTIONS) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (Map<String, Object> e : r.evals()) {
                Map<String, Object> p = (Map<String, Object>) ((Map<String, Object>) e.get("projections")).get(n);
                xs.add(((Number) e.get("step")).doubleValue());
                ys.add(((Number) p.get(side)).doubleValue());
            }
            if (!xs.isEmpty()) c.addSeries(n, xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        return c;
    }
}
