package io.geocont.experiments;

import io.geocont.train.EpochMetrics;
import io.geocont.train.MlpRunResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The seeds of one variant under one optimizer, with per-epoch means and stds over seeds. */
public record VariantRuns(String variant, String optimizer, List<MlpRunResult> runs) {
    public VariantRuns {
        if (runs.isEmpty()) throw new IllegalArgumentException("variant " + variant + ": no runs");
        runs = List.copyOf(runs);
    }

    /** Groups results by (variant, optimizer), in order of first appearance of a sorted list. */
    public static List<VariantRuns> group(List<MlpRunResult> results) {
        Map<String, List<MlpRunResult>> m = new LinkedHashMap<>();
        List<MlpRunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((MlpRunResult r) -> optimizerOf(r)).thenComparingInt(r -> rank(r.variant()))
                .thenComparing(r -> r.variant())
                .thenComparingInt(r -> ((Number) r.config().getOrDefault("seed", 0)).intValue()));
        for (MlpRunResult r : sorted) m.computeIfAbsent(r.variant() + "\u0000" + optimizerOf(r), k -> new ArrayList<>()).add(r);
        List<VariantRuns> out = new ArrayList<>();
        for (var e : m.entrySet()) {
            MlpRunResult first = e.getValue().get(0);
            out.add(new VariantRuns(first.variant(), optimizerOf(first), e.getValue()));
        }
        return out;
    }

    /** Position in the default grid (table order); other variants after, alphabetically. */
    private static int rank(String variant) {
        int i = VariantNames.DEFAULT.indexOf(variant);
        return i < 0 ? VariantNames.DEFAULT.size() : i;
    }

    static String optimizerOf(MlpRunResult r) {
        Object o = r.config() == null ? null : r.config().get("optimizer");
        return o == null ? "?" : o.toString();
    }

    public Object config(String key) { return runs.get(0).config().get(key); }

    public int seeds() { return runs.size(); }

    /** The last epoch every seed reached. */
    public int lastEpoch() {
        int e = Integer.MAX_VALUE;
        for (MlpRunResult r : runs) e = Math.min(e, r.finalEpoch().epoch());
        return e;
    }

    public int width() { return ((Number) config("width")).intValue(); }

    public int depth() { return ((Number) config("depth")).intValue(); }

    /** True when every seed learned (test accuracy >= 2x chance). */
    public boolean learned() { return runs.stream().allMatch(MlpRunResult::learned); }

    /** One value per seed at {@code epoch}; NaN where the field is null. */
    public double[] atEpoch(int epoch, ToDoubleFunction<EpochMetrics> f) {
        double[] v = new double[runs.size()];
        for (int i = 0; i < v.length; i++) {
            EpochMetrics m = record(runs.get(i), epoch);
            v[i] = m == null ? Double.NaN : f.applyAsDouble(m);
        }
        return v;
    }

    public double meanAt(int epoch, ToDoubleFunction<EpochMetrics> f) { return Stats.mean(atEpoch(epoch, f)); }

    public double stdAt(int epoch, ToDoubleFunction<EpochMetrics> f) { return Stats.std(atEpoch(epoch, f)); }

    /** Per-element mean over seeds of an array field (per layer or per pair) at {@code epoch}. */
    public double[] meanArrayAt(int epoch, java.util.function.Function<EpochMetrics, double[]> f) {
        double[] sum = null;
        for (MlpRunResult r : runs) {
            double[] a = f.apply(record(r, epoch));
            if (a == null) return null;
            if (sum == null) sum = new double[a.length];
            for (int i = 0; i < a.length; i++) sum[i] += a[i];
        }
        for (int i = 0; i < sum.length; i++) sum[i] /= runs.size();
        return sum;
    }

    static EpochMetrics record(MlpRunResult r, int epoch) {
        for (EpochMetrics m : r.epochs()) if (m.epoch() == epoch) return m;
        return null;
    }

    /** Null-safe getter for the boxed gradient fields (NaN when absent). */
    public static double orNaN(Double d) { return d == null ? Double.NaN : d; }
}
