package io.geocont.io.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** Small checkpoints for tests outside this package (the CLI tests). */
public final class CheckpointFixtures {
    private CheckpointFixtures() { }

    /**
     * A 4-layer Llama folder (hidden 32, GQA K/V 16 wide, ff 48, bf16, one file) whose Q/K/V/Gate/Up
     * share an input direction and O/Down an output direction across layers.
     */
    public static Path smallLlama(Path dir) throws IOException {
        String cfg = "{\"model_type\": \"llama\", \"num_hidden_layers\": 4, \"hidden_size\": 32, \"num_attention_heads\": 4,"
                + " \"num_key_value_heads\": 2, \"intermediate_size\": 48}";
        return HfFolders.llama(dir, cfg, "model.", 4, 32, 32, 16, 48, Dtype.BF16, false, (l, p) -> {
            boolean writes = p == Projection.O || p == Projection.DOWN;
            int out = switch (p) { case Q, O, DOWN -> 32; case K, V -> 16; case GATE, UP -> 48; };
            int in = p == Projection.DOWN ? 48 : 32;
            return CheckpointAnalyzerTest.planted(out, in, l, !writes, 5 + p.ordinal());
        }).dir();
    }

    /**
     * A 4-layer f32 Llama folder (hidden 32, K/V 16, ff 48): every matrix is fixed Gaussian noise
     * (seeded by layer and projection only) plus {@code strength} * a_l b^T with b one input
     * direction shared by all layers of a projection; strength 0 is pure noise. {@code delta}
     * adds a second such spike with its own shared direction (a planted fine-tune), 0 for none.
     */
    public static Path sharedDirection(Path dir, double strength, double delta) throws IOException {
        String cfg = "{\"model_type\": \"llama\", \"num_hidden_layers\": 4, \"hidden_size\": 32, \"num_attention_heads\": 4,"
                + " \"num_key_value_heads\": 2, \"intermediate_size\": 48}";
        return HfFolders.llama(dir, cfg, "model.", 4, 32, 32, 16, 48, Dtype.F32, false, (l, p) -> {
            int out = switch (p) { case Q, O, DOWN -> 32; case K, V -> 16; case GATE, UP -> 48; };
            int in = p == Projection.DOWN ? 48 : 32;
            io.geocont.linalg.Matrix m = SafetensorsStoreTest.random(out, in, 100L * l + p.ordinal());
            spike(m, strength, in, 7 + p.ordinal(), 1000L * l + p.ordinal());
            spike(m, delta, in, 77 + p.ordinal(), 5000L * l + p.ordinal());
            return m;
        }).dir();
    }

    /** Adds strength * a b^T: b from {@code sharedSeed} (the same for every layer), a from {@code ownSeed}. */
    private static void spike(io.geocont.linalg.Matrix m, double strength, int in, long sharedSeed, long ownSeed) {
        if (strength == 0) return;
        java.util.Random shared = new java.util.Random(sharedSeed), own = new java.util.Random(ownSeed);
        double[] a = unit(m.rows(), own), b = unit(in, shared);
        for (int i = 0; i < m.rows(); i++)
            for (int j = 0; j < in; j++) m.set(i, j, (float) (m.get(i, j) + strength * a[i] * b[j]));
    }

    private static double[] unit(int n, java.util.Random r) {
        double[] x = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) { x[i] = r.nextGaussian(); s += x[i] * x[i]; }
        for (int i = 0; i < n; i++) x[i] /= Math.sqrt(s);
        return x;
    }

    /** A 4-layer f32 Llama folder of random weights with hidden size {@code hidden} (K/V and ff as wide): same naming, other shapes. */
    public static Path randomLlama(Path dir, int hidden) throws IOException {
        String cfg = "{\"model_type\": \"llama\", \"num_hidden_layers\": 4, \"hidden_size\": " + hidden + ", \"num_attention_heads\": 4,"
                + " \"num_key_value_heads\": 4, \"intermediate_size\": " + hidden + "}";
        return HfFolders.llama(dir, cfg, "model.", 4, hidden, hidden, hidden, hidden, Dtype.F32, false, (l, p) -> null).dir();
    }

    /** A 4-layer f32 Llama folder (as {@link #sharedDirection}) of random weights with every projection of {@code zeroLayer} all zeros: its leading pair is undefined. */
    public static Path withZeroLayer(Path dir, int zeroLayer) throws IOException {
        String cfg = "{\"model_type\": \"llama\", \"num_hidden_layers\": 4, \"hidden_size\": 32, \"num_attention_heads\": 4,"
                + " \"num_key_value_heads\": 2, \"intermediate_size\": 48}";
        return HfFolders.llama(dir, cfg, "model.", 4, 32, 32, 16, 48, Dtype.F32, false, (l, p) -> {
            if (l != zeroLayer) return null;
            int out = switch (p) { case Q, O, DOWN -> 32; case K, V -> 16; case GATE, UP -> 48; };
            return io.geocont.linalg.Matrix.zeros(out, p == Projection.DOWN ? 48 : 32);
        }).dir();
    }

    /** A 4-layer GPT-2 folder (d 16), random weights: an architecture other than {@link #smallLlama}. */
    public static Path smallGpt2(Path dir) throws IOException {
        return HfFolders.gpt2(dir, 4, 16, (l, p) -> null).dir();
    }

    /** What the analyzer reports a checkpoint as (the CLI's AnalyzeCommand.modelOf). */
    public static io.geocont.analysis.StackAnalyzer.Model model(Checkpoint c) {
        return new io.geocont.analysis.StackAnalyzer.Model(c.name(), c.store().describe(), c.architecture().family().name(), c.layers());
    }
}
