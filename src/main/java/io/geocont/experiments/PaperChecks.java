package io.geocont.experiments;

import io.geocont.train.EpochMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks science.md section 6 items 1-5 on finished runs of one optimizer, from the numbers alone.
 * Each check says holds / does not hold / not checked (a variant it needs is missing) and gives
 * the numbers behind the verdict. The exact tests are ours [O]:
 * <ol>
 *   <li>every variant's mean epoch-0 v1 continuity lies within 3 standard errors of the random
 *       baseline, SE = baseline_std / sqrt(seeds x pairs) (pairs treated as independent);</li>
 *   <li>the lowest of Res+ReLU/GELU/SiLU (mean - std) lies above the highest of NoRes+ReLU
 *       (either init), Res+None, Res+radial-tanh (mean + std), and at least twice its mean;</li>
 *   <li>for every activation run both ways, the residual net's epoch-1 gradient coherence
 *       (grad_coh_v1) exceeds the plain net's;</li>
 *   <li>Res+None and Res+radial-tanh end with a larger mean drift than Res+ReLU and their drift
 *       grows more from the middle epoch to the last;</li>
 *   <li>s2-WA and erank of Res+None+LN above Res+ReLU, v1 continuity below.</li>
 * </ol>
 */
public final class PaperChecks {
    public enum Status { HOLDS, DOES_NOT_HOLD, NOT_CHECKED;
        public String label() { return switch (this) { case HOLDS -> "holds"; case DOES_NOT_HOLD -> "does not hold"; case NOT_CHECKED -> "not checked"; }; }
    }

    public record Check(int item, String claim, Status status, String numbers) { }

    private final List<VariantRuns> groups;

    /** {@code groups}: the runs of one optimizer. */
    public PaperChecks(List<VariantRuns> groups) { this.groups = groups; }

    public List<Check> all() { return List.of(item1(), item2(), item3(), item4(), item5()); }

    VariantRuns find(String variant) {
        for (VariantRuns g : groups) if (g.variant().equals(variant)) return g;
        return null;
    }

    Check item1() {
        String claim = "Random init sits at the random baseline (within 3 standard errors).";
        if (groups.isEmpty()) return new Check(1, claim, Status.NOT_CHECKED, "no runs");
        StringBuilder sb = new StringBuilder();
        boolean ok = true;
        double worst = 0;
        for (VariantRuns g : groups) {
            EpochMetrics r0 = VariantRuns.record(g.runs().get(0), 0);
            if (r0 == null) return new Check(1, claim, Status.NOT_CHECKED, g.variant() + " has no epoch-0 record");
            double m = g.meanAt(0, EpochMetrics::v1Mean);
            double se = r0.baselineStd() / Math.sqrt((double) g.seeds() * (g.depth() - 1));
            double z = (m - r0.baseline()) / se;
            worst = Math.max(worst, Math.abs(z));
            if (Math.abs(z) > 3) { ok = false; sb.append(String.format(Locale.ROOT, "%s: %.4f (z = %.1f); ", g.variant(), m, z)); }
        }
        EpochMetrics any = VariantRuns.record(groups.get(0).runs().get(0), 0);
        String nums = String.format(Locale.ROOT, "baseline %.4f; %d variants; largest |z| = %.2f%s", any.baseline(), groups.size(), worst,
                ok ? "" : "; outside: " + sb);
        return new Check(1, claim, ok ? Status.HOLDS : Status.DOES_NOT_HOLD, nums);
    }

    Check item2() {
        String claim = "Res+ReLU/GELU/SiLU v1 continuity far above NoRes+ReLU, Res+None and Res+rotation-preserving at the final epoch, across seeds.";
        List<VariantRuns> high = present("res-relu", "res-gelu", "res-silu");
        List<VariantRuns> low = present("nores-relu", "nores-relu-kaiming", "res-none", "res-radial-tanh");
        if (high.isEmpty() || low.isEmpty())
            return new Check(2, claim, Status.NOT_CHECKED, "needs one of res-relu/gelu/silu and one of nores-relu, res-none, res-radial-tanh");
        double minHigh = Double.POSITIVE_INFINITY, minHighMean = Double.POSITIVE_INFINITY, maxLow = Double.NEGATIVE_INFINITY, maxLowMean = Double.NEGATIVE_INFINITY;
        StringBuilder sb = new StringBuilder();
        for (VariantRuns g : high) {
            double m = final1(g), s = finalStd(g);
            minHigh = Math.min(minHigh, m - s);
            minHighMean = Math.min(minHighMean, m);
            sb.append(String.format(Locale.ROOT, "%s %.3f+-%.3f; ", g.variant(), m, s));
        }
        for (VariantRuns g : low) {
            double m = final1(g), s = finalStd(g);
            maxLow = Math.max(maxLow, m + s);
            maxLowMean = Math.max(maxLowMean, m);
            sb.append(String.format(Locale.ROOT, "%s %.3f+-%.3f%s; ", g.variant(), m, s, g.learned() ? "" : " (did not learn)"));
        }
        boolean ok = minHigh > maxLow && minHighMean >= 2 * maxLowMean;
        sb.append(String.format(Locale.ROOT, "lowest high (mean-std) %.3f vs highest control (mean+std) %.3f; mean ratio %.2f (need >= 2)",
                minHigh, maxLow, minHighMean / maxLowMean));
        return new Check(2, claim, ok ? Status.HOLDS : Status.DOES_NOT_HOLD, sb.toString());
    }

    Check item3() {
        String claim = "Residual nets show higher gradient coherence than plain nets from the first epoch.";
        StringBuilder sb = new StringBuilder();
        boolean ok = true;
        int pairs = 0;
        for (VariantRuns res : groups) {
            if (!Boolean.TRUE.equals(res.config("residual"))) continue;
            for (VariantRuns plain : groups) {
                if (Boolean.TRUE.equals(plain.config("residual"))) continue;
                if (!res.config("activation").equals(plain.config("activation")) || !res.config("norm").equals(plain.config("norm"))) continue;
                double a = res.meanAt(1, m -> VariantRuns.orNaN(m.gradCohV1Mean()));
                double b = plain.meanAt(1, m -> VariantRuns.orNaN(m.gradCohV1Mean()));
                pairs++;
                boolean pairOk = a > b;
                ok &= pairOk;
                sb.append(String.format(Locale.ROOT, "%s %.3f %s %s %.3f; ", res.variant(), a, pairOk ? ">" : "<=", plain.variant(), b));
            }
        }
        if (pairs == 0) return new Check(3, claim, Status.NOT_CHECKED, "needs a residual and a plain net with the same activation and norm");
        sb.append("(grad_coh_v1 after epoch 1, mean over seeds)");
        return new Check(3, claim, ok ? Status.HOLDS : Status.DOES_NOT_HOLD, sb.toString());
    }

    Check item4() {
        String claim = "Rotation drift larger and growing for Res+None and Res+rotation-preserving than for Res+ReLU.";
        VariantRuns relu = find("res-relu");
        List<VariantRuns> others = present("res-none", "res-radial-tanh");
        if (relu == null || others.isEmpty()) return new Check(4, claim, Status.NOT_CHECKED, "needs res-relu and res-none or res-radial-tanh");
        int last = relu.lastEpoch(), mid = Math.max(1, (last + 1) / 2);
        double rFinal = relu.meanAt(last, m -> VariantRuns.orNaN(m.driftMeanDeg()));
        double rGrowth = rFinal - relu.meanAt(mid, m -> VariantRuns.orNaN(m.driftMeanDeg()));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "res-relu final %.1f deg (growth since epoch %d: %+.1f); ", rFinal, mid, rGrowth));
        boolean ok = true;
        for (VariantRuns g : others) {
            int e = Math.min(last, g.lastEpoch());
            double f = g.meanAt(e, m -> VariantRuns.orNaN(m.driftMeanDeg()));
            double growth = f - g.meanAt(mid, m -> VariantRuns.orNaN(m.driftMeanDeg()));
            boolean gOk = f > rFinal && growth > rGrowth;
            ok &= gOk;
            sb.append(String.format(Locale.ROOT, "%s final %.1f deg (growth %+.1f) %s; ", g.variant(), f, growth, gOk ? "larger and growing more" : "not both"));
        }
        return new Check(4, claim, ok ? Status.HOLDS : Status.DOES_NOT_HOLD, sb.toString());
    }

    Check item5() {
        String claim = "s2-WA(Res+None+LN) > s2-WA(Res+ReLU) and erank likewise; v1 continuity the other way round.";
        VariantRuns ln = find("res-none-ln"), relu = find("res-relu");
        if (ln == null || relu == null) return new Check(5, claim, Status.NOT_CHECKED, "needs res-none-ln and res-relu");
        double s2a = final1(ln, EpochMetrics::s2waMean), s2b = final1(relu, EpochMetrics::s2waMean);
        double ea = final1(ln, EpochMetrics::erankMean), eb = final1(relu, EpochMetrics::erankMean);
        double va = final1(ln), vb = final1(relu);
        boolean a = s2a > s2b, b = ea > eb, c = va < vb;
        String nums = String.format(Locale.ROOT, "s2-WA %.3f vs %.3f (%s); erank %.1f vs %.1f (%s); v1 %.3f vs %.3f (%s) [res-none-ln vs res-relu]",
                s2a, s2b, a ? "higher" : "NOT higher", ea, eb, b ? "higher" : "NOT higher", va, vb, c ? "lower" : "NOT lower");
        return new Check(5, claim, a && b && c ? Status.HOLDS : Status.DOES_NOT_HOLD, nums);
    }

    private List<VariantRuns> present(String... names) {
        List<VariantRuns> out = new ArrayList<>();
        for (String n : names) { VariantRuns g = find(n); if (g != null) out.add(g); }
        return out;
    }

    private static double final1(VariantRuns g) { return final1(g, EpochMetrics::v1Mean); }

    private static double final1(VariantRuns g, java.util.function.ToDoubleFunction<EpochMetrics> f) { return g.meanAt(g.lastEpoch(), f); }

    private static double finalStd(VariantRuns g) { return g.stdAt(g.lastEpoch(), EpochMetrics::v1Mean); }
}
