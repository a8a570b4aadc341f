package io.geocont.plot;

import io.geocont.experiments.VariantRuns;
import io.geocont.train.EpochMetrics;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The toy-MLP figures (PNG + SVG through {@link Plots#save}). Every curve is the mean over seeds;
 * error bars are +- one standard deviation over seeds. Each method returns the figures it wrote.
 */
public final class MlpFigures {
    /** A written figure: base name (no extension) and a one-line caption. */
    public record Figure(String name, String caption) { }

    public static final List<String> FIG2A_VARIANTS = List.of("res-relu", "res-none", "res-radial-tanh");
    public static final List<String> FIG12_VARIANTS = List.of("res-relu", "nores-relu", "nores-relu-kaiming");

    private final Path dir;
    private final List<VariantRuns> groups;
    private final String tag;

    /** {@code tag} (e.g. "sgd, quick") goes into every title. */
    public MlpFigures(Path dir, List<VariantRuns> groups, String tag) {
        this.dir = dir;
        this.groups = groups;
        this.tag = tag;
    }

    public List<Figure> all() throws IOException {
        List<Figure> out = new ArrayList<>(table1Figures());
        out.addAll(fig2a());
        out.addAll(fig12());
        return out;
    }

    /** The figures behind Table 1: v1 vs epoch, v1 vs depth, s2-WA and erank bars. */
    public List<Figure> table1Figures() throws IOException {
        List<Figure> out = new ArrayList<>();
        out.add(continuityVsEpoch());
        out.add(continuityVsDepth());
        out.add(bars("s2wa-bars", "s2-weighted v1 continuity (s2-WA) at the final epoch", "s2-WA", EpochMetrics::s2waMean));
        out.add(bars("erank-bars", "effective rank of the hidden weights at the final epoch", "erank", EpochMetrics::erankMean));
        return out;
    }

    private XYChart xy(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title + " (" + tag + ")").xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        c.getStyler().setMarkerSize(5);
        return c;
    }

    private static double[] epochs(int from, int to) {
        double[] x = new double[to - from + 1];
        for (int i = 0; i < x.length; i++) x[i] = from + i;
        return x;
    }

    /** Adds mean +- std over seeds of {@code f} from epoch {@code from} to the last. */
    private void addSeedSeries(XYChart c, VariantRuns g, int from, ToDoubleFunction<EpochMetrics> f) {
        int last = g.lastEpoch();
        if (last < from) return;
        double[] x = epochs(from, last), y = new double[x.length], e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = g.meanAt((int) x[i], f);
            e[i] = g.stdAt((int) x[i], f);
        }
        String name = g.variant() + (g.learned() ? "" : " (did not learn)");
        c.addSeries(name, x, y, e).setMarker(SeriesMarkers.CIRCLE);
    }

    private void addBaseline(XYChart c, int lastEpoch) {
        double b = groups.get(0).runs().get(0).finalEpoch().baseline();
        XYSeries s = c.addSeries(String.format(java.util.Locale.ROOT, "random baseline %.3f", b), new double[]{0, lastEpoch}, new double[]{b, b});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.GRAY);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
    }

    private int lastEpoch(List<VariantRuns> gs) {
        int e = 0;
        for (VariantRuns g : gs) e = Math.max(e, g.lastEpoch());
        return e;
    }

    public Figure continuityVsEpoch() throws IOException {
        XYChart c = xy("v1 continuity vs epoch (mean +- std over seeds)", "epoch", "v1 continuity (mean |cos| of adjacent layers)");
        for (VariantRuns g : groups) addSeedSeries(c, g, 0, EpochMetrics::v1Mean);
        addBaseline(c, lastEpoch(groups));
        Plots.save(c, dir.resolve("v1-continuity"));
        return new Figure("v1-continuity", "v1 continuity vs epoch per variant, mean +- std over seeds, with the random baseline");
    }

    /** Fig. 2a: per-layer rotation drift of v1 vs epoch for res-relu, res-none, res-radial-tanh. */
    public List<Figure> fig2a() throws IOException {
        List<Figure> out = new ArrayList<>();
        List<VariantRuns> present = select(FIG2A_VARIANTS);
        if (present.isEmpty()) return out;
        for (VariantRuns g : present) {
            XYChart c = xy("Fig. 2a: rotation drift per layer, " + g.variant() + " (mean over seeds)", "epoch",
                    "drift arccos|<v1(t), v1(epoch 1)>| (degrees)");
            int last = g.lastEpoch();
            if (last < 1) continue;
            double[] x = epochs(1, last);
            for (int l = 0; l < g.depth(); l++) {
                final int layer = l;
                double[] y = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    double[] d = g.meanArrayAt((int) x[i], EpochMetrics::driftDeg);
                    y[i] = d == null ? Double.NaN : d[layer];
                }
                c.addSeries("layer " + (l + 1), x, y).setMarker(SeriesMarkers.NONE);
            }
            c.getStyler().setYAxisMin(0.0).setYAxisMax(90.0);
            String name = "fig2a-drift-" + g.variant();
            Plots.save(c, dir.resolve(name));
            out.add(new Figure(name, "Fig. 2a: per-layer rotation drift of v1 vs the end of epoch 1, " + g.variant()));
        }
        XYChart c = xy("Fig. 2a: mean rotation drift (mean +- std over seeds)", "epoch", "mean drift over layers (degrees)");
        for (VariantRuns g : present) addSeedSeries(c, g, 1, m -> VariantRuns.orNaN(m.driftMeanDeg()));
        c.getStyler().setYAxisMin(0.0);
        Plots.save(c, dir.resolve("fig2a-drift-mean"));
        out.add(new Figure("fig2a-drift-mean", "Fig. 2a: mean rotation drift over layers, res-relu vs res-none vs res-radial-tanh"));
        return out;
    }

    /** Fig. 12: gradient coherence, cumulative-gradient continuity, v1 and dGW vs epoch, residual vs plain. */
    public List<Figure> fig12() throws IOException {
        List<Figure> out = new ArrayList<>();
        List<VariantRuns> present = select(FIG12_VARIANTS);
        if (present.isEmpty()) return out;
        record Panel(String name, String title, String y, int from, ToDoubleFunction<EpochMetrics> f) { }
        List<Panel> panels = List.of(
                new Panel("fig12-grad-coh-v1", "Fig. 12: gradient coherence (v1 continuity of the epoch's gradient)", "grad_coh_v1", 1,
                        m -> VariantRuns.orNaN(m.gradCohV1Mean())),
                new Panel("fig12-gcum-v1", "Fig. 12: v1 continuity of the cumulative gradient", "gcum_v1", 1, m -> VariantRuns.orNaN(m.gcumV1Mean())),
                new Panel("fig12-v1", "Fig. 12: weight v1 continuity", "v1 continuity", 0, EpochMetrics::v1Mean),
                new Panel("fig12-dgw", "Fig. 12: dGW = gcum_v1 - v1", "dGW", 1, m -> VariantRuns.orNaN(m.dgw())));
        for (Panel p : panels) {
            XYChart c = xy(p.title(), "epoch", p.y());
            for (VariantRuns g : present) addSeedSeries(c, g, p.from(), p.f());
            if (!p.name().equals("fig12-dgw")) addBaseline(c, lastEpoch(present));
            Plots.save(c, dir.resolve(p.name()));
            out.add(new Figure(p.name(), p.title() + ", residual vs plain ReLU nets"));
        }
        return out;
    }

    public Figure continuityVsDepth() throws IOException {
        XYChart c = xy("v1 continuity per adjacent pair at the final epoch (mean over seeds)", "pair (layer l, l+1)", "|cos(v1(l), v1(l+1))|");
        int pairs = 0;
        for (VariantRuns g : groups) {
            double[] y = g.meanArrayAt(g.lastEpoch(), EpochMetrics::v1Pairs);
            if (y == null) continue;
            pairs = Math.max(pairs, y.length);
            c.addSeries(g.variant(), epochs(1, y.length), y).setMarker(SeriesMarkers.CIRCLE);
        }
        double b = groups.get(0).runs().get(0).finalEpoch().baseline();
        XYSeries s = c.addSeries("random baseline", new double[]{1, Math.max(pairs, 2)}, new double[]{b, b});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.GRAY);
        Plots.save(c, dir.resolve("continuity-vs-depth"));
        return new Figure("continuity-vs-depth", "per-pair v1 continuity vs depth at the final epoch");
    }

    private Figure bars(String name, String title, String yTitle, ToDoubleFunction<EpochMetrics> f) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(900).height(560).title(title + " (" + tag + ")").xAxisTitle("variant").yAxisTitle(yTitle).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(45);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        List<String> names = new ArrayList<>();
        List<Double> y = new ArrayList<>(), e = new ArrayList<>();
        for (VariantRuns g : groups) {
            names.add(g.variant());
            y.add(g.meanAt(g.lastEpoch(), f));
            e.add(g.stdAt(g.lastEpoch(), f));
        }
        c.addSeries(yTitle, names, y, e);
        Plots.save(c, dir.resolve(name));
        return new Figure(name, title + ", mean +- std over seeds");
    }

    private List<VariantRuns> select(List<String> names) {
        List<VariantRuns> out = new ArrayList<>();
        for (String n : names) for (VariantRuns g : groups) if (g.variant().equals(n)) out.add(g);
        return out;
    }

}
