package io.geocont.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.geocont.io.AtomicFiles;
import io.geocont.train.EpochMetrics;
import io.geocont.train.MlpRunResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Table 1 of the paper from finished runs: one row per variant and optimizer, means over seeds at
 * each run's final epoch, stds over seeds (sample std; 0 for one seed). Written as table1.csv
 * (exactly {@link #COLUMNS}) and table1.json (the same rows plus baseline, configuration and the
 * variants that did not learn).
 */
public final class Table1 {
    public static final List<String> COLUMNS = List.of("variant", "residual", "activation", "norm", "optimizer", "seeds",
            "accuracy", "v1_mean", "v1_std", "u1_mean", "u1_std", "s2wa_mean", "erank_mean", "grad_coherence_epoch1",
            "dgw_mean", "drift_final_deg", "update_ratio");

    @JsonPropertyOrder({"variant", "residual", "activation", "norm", "optimizer", "seeds", "accuracy", "v1_mean", "v1_std",
            "u1_mean", "u1_std", "s2wa_mean", "erank_mean", "grad_coherence_epoch1", "dgw_mean", "drift_final_deg", "update_ratio"})
    public record Row(@JsonProperty("variant") String variant, @JsonProperty("residual") boolean residual,
                      @JsonProperty("activation") String activation, @JsonProperty("norm") String norm,
                      @JsonProperty("optimizer") String optimizer, @JsonProperty("seeds") int seeds,
                      @JsonProperty("accuracy") double accuracy, @JsonProperty("v1_mean") double v1Mean,
                      @JsonProperty("v1_std") double v1Std, @JsonProperty("u1_mean") double u1Mean,
                      @JsonProperty("u1_std") double u1Std, @JsonProperty("s2wa_mean") double s2waMean,
                      @JsonProperty("erank_mean") double erankMean,
                      @JsonProperty("grad_coherence_epoch1") double gradCoherenceEpoch1,
                      @JsonProperty("dgw_mean") double dgwMean, @JsonProperty("drift_final_deg") double driftFinalDeg,
                      @JsonProperty("update_ratio") double updateRatio) {
        /** The cells in {@link Table1#COLUMNS} order (the CSV and the HTML table). */
        public List<Object> values() {
            return List.of(variant, residual, activation, norm, optimizer, seeds, accuracy, v1Mean, v1Std, u1Mean, u1Std,
                    s2waMean, erankMean, gradCoherenceEpoch1, dgwMean, driftFinalDeg, updateRatio);
        }
    }

    private final List<VariantRuns> groups;
    private final List<Row> rows;

    public Table1(List<MlpRunResult> results) {
        if (results.isEmpty()) throw new IllegalArgumentException("table 1: no finished runs");
        this.groups = VariantRuns.group(results);
        this.rows = groups.stream().map(Table1::row).toList();
    }

    public List<Row> rows() { return rows; }

    public List<VariantRuns> groups() { return groups; }

    static Row row(VariantRuns g) {
        int e = g.lastEpoch();
        return new Row(g.variant(), Boolean.TRUE.equals(g.config("residual")), String.valueOf(g.config("activation")),
                String.valueOf(g.config("norm")), g.optimizer(), g.seeds(),
                g.meanAt(e, EpochMetrics::testAcc), g.meanAt(e, EpochMetrics::v1Mean), g.stdAt(e, EpochMetrics::v1Mean),
                g.meanAt(e, EpochMetrics::u1Mean), g.stdAt(e, EpochMetrics::u1Mean), g.meanAt(e, EpochMetrics::s2waMean),
                g.meanAt(e, EpochMetrics::erankMean), g.meanAt(1, m -> VariantRuns.orNaN(m.gradCohV1Mean())),
                g.meanAt(e, m -> VariantRuns.orNaN(m.dgw())), g.meanAt(e, m -> VariantRuns.orNaN(m.driftMeanDeg())),
                g.meanAt(e, EpochMetrics::updateRatioMean));
    }

    /** The random baseline E|cos| for the runs' width (all runs must share it). */
    public double baseline() {
        double b = groups.get(0).runs().get(0).finalEpoch().baseline();
        for (VariantRuns g : groups)
            if (Math.abs(g.runs().get(0).finalEpoch().baseline() - b) > 1e-12)
                throw new IllegalStateException("table 1: runs of different widths in one folder (" + g.variant() + ")");
        return b;
    }

    public double baselineStd() { return groups.get(0).runs().get(0).finalEpoch().baselineStd(); }

    /** Settings shared by every run (seed and the per-variant fields left out). */
    public Map<String, Object> commonConfig() {
        Map<String, Object> first = new LinkedHashMap<>(groups.get(0).runs().get(0).config());
        for (VariantRuns g : groups)
            for (MlpRunResult r : g.runs())
                first.entrySet().removeIf(en -> !Objects.equals(String.valueOf(en.getValue()), String.valueOf(r.config().get(en.getKey()))));
        return first;
    }

    /** Variant names (with optimizer) where some seed did not learn. */
    public List<String> didNotLearn() {
        List<String> out = new ArrayList<>();
        for (VariantRuns g : groups) if (!g.learned()) out.add(g.variant() + " (" + g.optimizer() + ")");
        return out;
    }

    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Row r : rows) {
            List<String> cells = new ArrayList<>();
            for (Object v : r.values()) cells.add(v instanceof Double d ? fmt(d) : v.toString());
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "nan" : String.format(Locale.ROOT, "%.6g", d);
    }

    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("table1.csv"), csv());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("columns", COLUMNS);
        j.put("rows", rows.stream().map(r -> nanToNull(r)).toList());
        j.put("baseline", baseline());
        j.put("baseline_std", baselineStd());
        j.put("did_not_learn", didNotLearn());
        j.put("config", commonConfig());
        j.put("notes", List.of("means over seeds at the final epoch; std = sample std over seeds (0 for one seed)",
                "accuracy = test accuracy; grad_coherence_epoch1 = grad_coh_v1_mean after epoch 1",
                "drift_final_deg = mean over layers of arccos|<v1(final), v1(end of epoch 1)>|",
                "update_ratio = mean over layers of s1(W - W_init) / s1(W_init)"));
        AtomicFiles.writeJson(dir.resolve("table1.json"), j);
    }

    /** JSON has no NaN: a missing value becomes null. */
    private static Map<String, Object> nanToNull(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> v = r.values();
        for (int i = 0; i < COLUMNS.size(); i++)
            m.put(COLUMNS.get(i), v.get(i) instanceof Double d && Double.isNaN(d) ? null : v.get(i));
        return m;
    }

    /** The table as aligned text for the terminal. */
    public void print(PrintStream o) {
        o.printf(Locale.ROOT, "Table 1 (toy MLP, final epoch, mean over seeds; random baseline %.4f +- %.4f)%n", baseline(), baselineStd());
        o.printf(Locale.ROOT, "%-20s %-6s %5s %7s %13s %13s %6s %6s %7s %7s %7s %6s%n",
                "variant", "opt", "seeds", "test", "v1 (+-std)", "u1 (+-std)", "s2wa", "erank", "gcoh@1", "dgw", "drift", "upd");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            o.printf(Locale.ROOT, "%-20s %-6s %5d %6.1f%% %6.3f+-%.3f %6.3f+-%.3f %6.3f %6.1f %7.3f %7.3f %7.1f %6.2f%s%n",
                    r.variant(), r.optimizer(), r.seeds(), 100 * r.accuracy(), r.v1Mean(), r.v1Std(), r.u1Mean(), r.u1Std(),
                    r.s2waMean(), r.erankMean(), r.gradCoherenceEpoch1(), r.dgwMean(), r.driftFinalDeg(), r.updateRatio(),
                    groups.get(i).learned() ? "" : "  <- did not learn");
        }
    }
}
