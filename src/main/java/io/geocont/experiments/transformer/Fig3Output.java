package io.geocont.experiments.transformer;

import io.geocont.io.AtomicFiles;
import io.geocont.models.transformer.TransformerModel;
import io.geocont.plot.Plots;
import io.geocont.train.ProjectionStats;
import io.geocont.train.TransformerRun;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fig. 3's outputs from a run: {@code fig3.json} ({"projections": {"q": {"v1", "u1", ...}},
 * "steps", "val_loss", "config", ...}), the grouped bar chart {@code fig3.png/.svg} and the
 * continuity-vs-step curves {@code fig3_v1_vs_step}, {@code fig3_u1_vs_step}.
 */
public final class Fig3Output {
    private Fig3Output() { }

    public static Map<String, Object> json(TransformerRun.Result r) {
        Map<String, Object> projections = new LinkedHashMap<>();
        for (String name : TransformerModel.PROJECTIONS) {
            ProjectionStats p = r.projections().get(name);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("v1", p.v1()); e.put("u1", p.u1());
            e.put("v1_pairs", p.v1Pairs()); e.put("u1_pairs", p.u1Pairs());
            e.put("baseline_v1", p.baselineV1()); e.put("baseline_u1", p.baselineU1());
            e.put("s2wa_v", p.s2waV()); e.put("s2wa_u", p.s2waU()); e.put("erank", p.erank());
            e.put("mean_input_cos_v1", p.meanInputCosMean()); e.put("mean_output_cos_u1", p.meanOutputCosMean());
            e.put("mean_input_cos_v1_per_layer", p.meanInputCos()); e.put("mean_output_cos_u1_per_layer", p.meanOutputCos());
            e.put("move_ratio", p.moveRatioMean());
            e.put("shape", List.of(p.rows(), p.cols()));
            projections.put(name, e);
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("projections", projections);
        j.put("steps", r.steps());
        j.put("val_loss", r.valLoss());
        j.put("config", r.settings());
        j.put("train_loss", r.trainLoss());
        j.put("unigram_entropy_nats", r.unigramEntropyNats());
        j.put("unigram_entropy_bits", r.unigramEntropyNats() / Math.log(2));
        j.put("finished", r.finished());
        j.put("notes", "v1 = input-space (right) leading singular vector, u1 = output-space (left); each value is the mean over "
                + "adjacent block pairs of |cos|; baseline_v1 uses the input dimension, baseline_u1 the output dimension; "
                + "mean_input_cos_v1 = |cos(v1, mean of row-normalized inputs on a held-out batch)|, "
                + "mean_output_cos_u1 = |cos(u1, mean of the projection's outputs)|, both averaged over layers.");
        return j;
    }

    /** Writes fig3.json and the charts into {@code dir}; returns the JSON written. */
    public static Map<String, Object> write(TransformerRun.Result r, Path dir) throws IOException {
        Map<String, Object> j = json(r);
        AtomicFiles.writeJson(dir.resolve("fig3.json"), j);
        Plots.save(barChart(r), dir.resolve("fig3"));
        for (String side : List.of("v1", "u1")) Plots.save(stepChart(r, side), dir.resolve("fig3_" + side + "_vs_step"));
        return j;
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
