package io.geocont.experiments;

import io.geocont.data.Dataset;
import io.geocont.data.MnistData;
import io.geocont.data.Split;
import io.geocont.models.mlp.MlpConfig;
import io.geocont.train.MlpRunSpec;
import io.geocont.train.OptimizerKind;
import io.geocont.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A grid of toy-MLP runs: variants x seeds at one size, with one optimizer's default settings
 * (science.md section 5 for SGD; {@link TrainConfig#adamwDefault()} for AdamW). {@code dataDir}
 * null = the embedded MNIST digits; {@code limitTrain}/{@code limitTest} > 0 keep only the first
 * samples (for tests and smoke runs; the data label records it, so such runs never mix with full ones).
 */
public record MlpGrid(Scale scale, OptimizerKind optimizer, List<String> variants, int seeds, int width, int depth,
                      int epochs, Path dataDir, int limitTrain, int limitTest, int topK) {
    public static final int DEFAULT_TOP_K = 8;

    public MlpGrid {
        if (variants == null || variants.isEmpty()) throw new IllegalArgumentException("grid: no variants");
        if (seeds < 1) throw new IllegalArgumentException("grid: --seeds must be >= 1, got " + seeds);
        if (epochs < 1) throw new IllegalArgumentException("grid: --epochs must be >= 1, got " + epochs);
        if (limitTrain < 0 || limitTest < 0) throw new IllegalArgumentException("grid: limits must be >= 0");
        variants = List.copyOf(variants);
        for (String v : variants) VariantNames.parse(v, width, depth); // fail early on a bad name
        if (new java.util.HashSet<>(variants).size() != variants.size())
            throw new IllegalArgumentException("grid: a variant is listed twice in " + variants);
    }

    /** The scale's defaults for every size knob. */
    public static MlpGrid of(Scale scale, OptimizerKind opt, List<String> variants) {
        return new MlpGrid(scale, opt, variants, scale.seeds, scale.width, scale.depth, scale.epochs, null, 0, 0, DEFAULT_TOP_K);
    }

    public TrainConfig train() { return TrainConfig.defaultFor(optimizer).withEpochs(epochs); }

    public String dataLabel() {
        String base = dataDir == null ? MnistData.EMBEDDED_LABEL : dataDir.toString();
        if (limitTrain == 0 && limitTest == 0) return base;
        return base + " [first " + (limitTrain == 0 ? "all" : limitTrain) + " train, " + (limitTest == 0 ? "all" : limitTest) + " test]";
    }

    /** Every run of the grid, sorted by run id (the order shards are cut from). */
    public List<MlpRunSpec> specs() {
        List<MlpRunSpec> out = new ArrayList<>();
        TrainConfig tc = train();
        for (String v : variants) {
            MlpConfig m = VariantNames.parse(v, width, depth);
            for (int s = 0; s < seeds; s++) out.add(new MlpRunSpec(m, tc, s, dataLabel(), Math.min(topK, width)));
        }
        out.sort(Comparator.comparing(MlpRunSpec::runId));
        return out;
    }

    /** The data the grid trains on, with the limits applied. */
    public Split loadData() throws IOException {
        Split s = MnistData.load(dataDir);
        Dataset tr = limit(s.train(), limitTrain), te = limit(s.test(), limitTest);
        return tr == s.train() && te == s.test() ? s : new Split(tr, te, dataLabel());
    }

    private static Dataset limit(Dataset d, int n) {
        return n == 0 || n >= d.n() ? d : d.slice(0, n);
    }
}
