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

    /** What the analyzer reports a checkpoint as (the CLI's AnalyzeCommand.modelOf). */
    public static io.geocont.analysis.StackAnalyzer.Model model(Checkpoint c) {
        return new io.geocont.analysis.StackAnalyzer.Model(c.name(), c.store().describe(), c.architecture().family().name(), c.layers());
    }
}
