package io.geocont.experiments.transformer;

/**
 * How the transformer is trained and measured.
 *
 * @param steps       total optimizer steps (the schedule's length)
 * @param optimizer   AdamW (betas 0.9/0.95, eps 1e-8, decoupled decay) or SGD (momentum, coupled decay)
 * @param lr          peak learning rate
 * @param warmup      linear warm-up steps from 0 to lr; then cosine decay to minLrFraction * lr
 * @param minLrFraction floor of the cosine (0.1)
 * @param weightDecay decay on matrices (embedding and head included), never on norm gains
 * @param clip        global gradient-norm clip (0 = none)
 * @param momentum    SGD momentum
 * @param evalEvery   measure continuity and validation loss every this many steps (and at 0 and the end)
 * @param evalBatches held-out batches per validation loss
 * @param seed        init and data seed
 * @param valFraction held-out tail of the text
 * @param logEvery    progress line and train record every this many steps
 * @param checkpointEvery write the checkpoint every this many steps (and at the end or stop)
 */
public record TransformerTrainConfig(int steps, OptimizerChoice optimizer, double lr, int warmup, double minLrFraction,
                                     double weightDecay, double clip, double momentum, int evalEvery, int evalBatches,
                                     long seed, double valFraction, int logEvery, int checkpointEvery) {
    public TransformerTrainConfig {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (optimizer == null) throw new IllegalArgumentException("optimizer must be given");
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("lr must be positive, got " + lr);
        if (warmup < 0 || warmup > steps) throw new IllegalArgumentException("warmup must be in [0, steps], got " + warmup);
        if (!(minLrFraction >= 0 && minLrFraction <= 1)) throw new IllegalArgumentException("min lr fraction must be in [0, 1]");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (!(clip >= 0)) throw new IllegalArgumentException("clip must be >= 0, got " + clip);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        if (evalEvery < 1) throw new IllegalArgumentException("eval-every must be >= 1, got " + evalEvery);
        if (evalBatches < 1) throw new IllegalArgumentException("eval-batches must be >= 1, got " + evalBatches);
        if (logEvery < 1 || checkpointEvery < 1) throw new IllegalArgumentException("log-every and checkpoint-every must be >= 1");
    }

    /** science.md section 5's setting: AdamW lr 1e-3, warm-up, cosine to 10%, decay 0.1, clip 1.0. */
    public static TransformerTrainConfig adamwDefaults(int steps, int evalEvery, long seed) {
        return new TransformerTrainConfig(steps, OptimizerChoice.ADAMW, 1e-3, Math.min(steps, Math.max(1, steps / 20)), 0.1,
                0.1, 1.0, 0.9, evalEvery, 4, seed, 0.05, 10, 100);
    }

    /** Learning rate of 1-based step s: linear warm-up, then cosine to minLrFraction * lr at the last step. */
    public double lrAt(int s) {
        if (warmup > 0 && s <= warmup) return lr * s / warmup;
        double progress = steps == warmup ? 1 : (double) (s - warmup) / (steps - warmup);
        double floor = minLrFraction * lr;
        return floor + (lr - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
