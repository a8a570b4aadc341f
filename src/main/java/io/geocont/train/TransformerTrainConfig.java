package io.geocont.train;

/**
 * How the transformer is trained and measured.
 *
 * @param steps       total optimizer steps (the schedule's length)
 * @param optimizer   the optimizer, clipping and schedule ({@link #adamwDefaults}: AdamW betas 0.9/0.95,
 *                    eps 1e-8, decoupled decay, warm-up then cosine to 10% of lr)
 * @param evalEvery   measure continuity and validation loss every this many steps (and at 0 and the end)
 * @param evalBatches held-out batches per validation loss
 * @param seed        init and data seed
 * @param valFraction held-out tail of the text
 * @param logEvery    progress line and train record every this many steps
 * @param checkpointEvery write the checkpoint every this many steps (and at the end or stop)
 */
public record TransformerTrainConfig(int steps, OptimizerConfig optimizer, int evalEvery, int evalBatches,
                                     long seed, double valFraction, int logEvery, int checkpointEvery) {
    public TransformerTrainConfig {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (optimizer == null) throw new IllegalArgumentException("optimizer must be given");
        if (optimizer.warmup() > steps) throw new IllegalArgumentException("warmup must be in [0, steps], got " + optimizer.warmup());
        if (evalEvery < 1) throw new IllegalArgumentException("eval-every must be >= 1, got " + evalEvery);
        if (evalBatches < 1) throw new IllegalArgumentException("eval-batches must be >= 1, got " + evalBatches);
        if (logEvery < 1 || checkpointEvery < 1) throw new IllegalArgumentException("log-every and checkpoint-every must be >= 1");
    }

    /** AdamW as science.md section 5 trains the transformer: betas 0.9/0.95, eps 1e-8, warm-up, cosine to 10%. */
    public static OptimizerConfig adamw(double lr, double weightDecay, double clip, int warmup) {
        return new OptimizerConfig(OptimizerKind.ADAMW, lr, 0f, (float) weightDecay, (float) clip, 0.9f, 0.95f, 1e-8f,
                LrSchedule.COSINE, warmup, 0.1);
    }

    /** SGD with momentum (coupled decay), the same warm-up and cosine to 10%. */
    public static OptimizerConfig sgd(double lr, double momentum, double weightDecay, double clip, int warmup) {
        return new OptimizerConfig(OptimizerKind.SGD, lr, (float) momentum, (float) weightDecay, (float) clip, 0.9f, 0.95f, 1e-8f,
                LrSchedule.COSINE, warmup, 0.1);
    }

    /** science.md section 5's setting: AdamW lr 1e-3, warm-up steps/20, cosine to 10%, decay 0.1, clip 1.0. */
    public static TransformerTrainConfig adamwDefaults(int steps, int evalEvery, long seed) {
        return new TransformerTrainConfig(steps, adamw(1e-3, 0.1, 1.0, Math.min(steps, Math.max(1, steps / 20))),
                evalEvery, 4, seed, 0.05, 10, 100);
    }
}
