package io.geocont.train;

/**
 * How to train the MLP: the optimizer settings ({@link #optimizerConfig()}: {@code clipNorm <= 0}
 * turns global gradient-norm clipping off, weight decay applies to weight matrices only [O], the
 * AdamW fields are used only by ADAMW) plus batch, epochs and seed.
 */
public record TrainConfig(OptimizerKind optimizer, float lr, float momentum, float weightDecay, float clipNorm,
                          int batch, int epochs, long seed, float adamBeta1, float adamBeta2, float adamEps,
                          LrSchedule schedule) {
    public TrainConfig {
        if (schedule == null) schedule = LrSchedule.CONSTANT;
        if (batch <= 0 || epochs < 0)
            throw new IllegalArgumentException("train config: batch " + batch + ", epochs " + epochs + " (need batch > 0, epochs >= 0)");
        new OptimizerConfig(optimizer, lr, momentum, weightDecay, clipNorm, adamBeta1, adamBeta2, adamEps, schedule, 0, 0);
    }

    /** The optimizer part: no warm-up, a cosine schedule decays to 0. */
    public OptimizerConfig optimizerConfig() {
        return new OptimizerConfig(optimizer, lr, momentum, weightDecay, clipNorm, adamBeta1, adamBeta2, adamEps, schedule, 0, 0);
    }

    /** The interface's original eleven fields, with a constant learning rate. */
    public TrainConfig(OptimizerKind optimizer, float lr, float momentum, float weightDecay, float clipNorm,
                       int batch, int epochs, long seed, float adamBeta1, float adamBeta2, float adamEps) {
        this(optimizer, lr, momentum, weightDecay, clipNorm, batch, epochs, seed, adamBeta1, adamBeta2, adamEps, LrSchedule.CONSTANT);
    }

    /**
     * science.md section 5, the setting that shows the effect at the quick scale: SGD, momentum 0.9,
     * lr 0.05, global gradient-norm clip 5, batch 128, 10 epochs, no weight decay.
     */
    public static TrainConfig quickDefault() {
        return new TrainConfig(OptimizerKind.SGD, 0.05f, 0.9f, 0f, 5f, 128, 10, 0L, 0.9f, 0.999f, 1e-8f);
    }

    /**
     * AdamW default [O]: lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01 (PyTorch's AdamW
     * default), the same clip 5, batch 128 and 10 epochs.
     */
    public static TrainConfig adamwDefault() {
        return new TrainConfig(OptimizerKind.ADAMW, 1e-3f, 0f, 0.01f, 5f, 128, 10, 0L, 0.9f, 0.999f, 1e-8f);
    }

    /** The default of {@code kind}. */
    public static TrainConfig defaultFor(OptimizerKind kind) {
        return kind == OptimizerKind.SGD ? quickDefault() : adamwDefault();
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, clipNorm, batch, e, seed, adamBeta1, adamBeta2, adamEps, schedule);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, clipNorm, batch, epochs, s, adamBeta1, adamBeta2, adamEps, schedule);
    }

    public TrainConfig withLr(float newLr) {
        return new TrainConfig(optimizer, newLr, momentum, weightDecay, clipNorm, batch, epochs, seed, adamBeta1, adamBeta2, adamEps, schedule);
    }

    public TrainConfig withBatch(int b) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, clipNorm, b, epochs, seed, adamBeta1, adamBeta2, adamEps, schedule);
    }

    public TrainConfig withSchedule(LrSchedule s) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, clipNorm, batch, epochs, seed, adamBeta1, adamBeta2, adamEps, s);
    }

    public TrainConfig withClip(float c) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, c, batch, epochs, seed, adamBeta1, adamBeta2, adamEps, schedule);
    }
}
