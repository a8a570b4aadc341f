package io.geocont.train;

/**
 * How to train. {@code clipNorm <= 0} turns global gradient-norm clipping off. Weight decay
 * applies to weight matrices only, not to biases and norm gains [O]. The AdamW fields are used
 * only by ADAMW.
 */
public record TrainConfig(OptimizerKind optimizer, float lr, float momentum, float weightDecay, float clipNorm,
                          int batch, int epochs, long seed, float adamBeta1, float adamBeta2, float adamEps,
                          LrSchedule schedule) {
    public TrainConfig {
        if (schedule == null) schedule = LrSchedule.CONSTANT;
        if (optimizer == null) throw new IllegalArgumentException("train config: optimizer is required");
        if (!(lr > 0) || batch <= 0 || epochs < 0 || momentum < 0 || momentum >= 1 || weightDecay < 0)
            throw new IllegalArgumentException("train config: lr " + lr + ", momentum " + momentum + ", weight decay "
                    + weightDecay + ", batch " + batch + ", epochs " + epochs + " (need lr > 0, 0 <= momentum < 1, batch > 0, epochs >= 0)");
        if (adamBeta1 < 0 || adamBeta1 >= 1 || adamBeta2 < 0 || adamBeta2 >= 1 || !(adamEps > 0))
            throw new IllegalArgumentException("train config: Adam betas must lie in [0, 1) and eps > 0");
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
