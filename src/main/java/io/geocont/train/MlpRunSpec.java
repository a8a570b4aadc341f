package io.geocont.train;

import io.geocont.models.mlp.MlpConfig;

/**
 * One training run of the toy MLP: model, optimizer settings, seed (initialization and batch
 * order; it overrides {@code train.seed()}), the data label ("mnist-embedded" or the IDX folder)
 * and k for the top-k metrics.
 */
public record MlpRunSpec(MlpConfig model, TrainConfig train, int seed, String dataLabel, int topK) {
    public MlpRunSpec {
        if (model == null || train == null) throw new IllegalArgumentException("run spec: model and train are required");
        if (topK < 1 || topK > model.width())
            throw new IllegalArgumentException("run spec: topK " + topK + " must lie in 1.." + model.width());
        if (dataLabel == null || dataLabel.isBlank()) dataLabel = "mnist-embedded";
    }

    /** variantName + "-" + optimizer + "-s" + seed, e.g. "res-relu-sgd-s0". */
    public String runId() {
        return model.variantName() + "-" + train.optimizer().cliName() + "-s" + seed;
    }

    /** The training config with this spec's seed. */
    public TrainConfig effectiveTrain() { return train.withSeed(seed); }
}
