package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each naming scheme maps to the planted out x in matrices, and shapes are checked against config.json. */
class ArchitectureTest {
    @TempDir Path dir;

    static void assertSame(Matrix want, Matrix got, Dtype dtype, String what) {
        assertEquals(want.rows(), got.rows(), what + " rows");
        assertEquals(want.cols(), got.cols(), what + " cols");
        for (int i = 0; i < want.data().length; i++)
            assertEquals(SafetensorsBuilder.roundTrip(want.data()[i], dtype), got.data()[i], 0f, what + "[" + i + "]");
    }

    private static void checkAll(Checkpoint c, HfFolders.Planted p, Dtype dtype) throws CheckpointException {
        for (int l = 0; l < c.layers(); l++)
            for (Projection proj : c.projections()) assertSame(p.get(l, proj), c.load(l, proj), dtype, proj.key + " of layer " + l);
    }

    @Test void llamaWithGqaShardedBf16() throws IOException {
        String cfg = """
                {"model_type": "llama", "num_hidden_layers": 3, "hidden_size": 8, "num_attention_heads": 4,
                 "num_key_value_heads": 2, "intermediate_size": 12}""";
        var p = HfFolders.llama(dir.resolve("llama"), cfg, "model.", 3, 8, 8, 4, 12, Dtype.BF16, true, (l, q) -> null);
        try (Checkpoint c = Checkpoint.open(p.dir())) {
            assertEquals(Architecture.Family.LLAMA, c.architecture().family());
            assertEquals(3, c.layers());
            assertEquals(7, c.projections().size());
            assertEquals(4, c.load(1, Projection.K).rows()); // GQA: K is kv_heads * head_dim = 4 wide
            checkAll(c, p, Dtype.BF16);
        }
    }

    @Test void qwenSingleFile() throws IOException {
        String cfg = """
                {"model_type": "qwen2", "num_hidden_layers": 2, "hidden_size": 6, "num_attention_heads": 3,
                 "num_key_value_heads": 1, "intermediate_size": 10}""";
        var p = HfFolders.llama(dir.resolve("qwen"), cfg, "model.", 2, 6, 6, 2, 10, Dtype.F32, false, (l, q) -> null);
        try (Checkpoint c = Checkpoint.open(p.dir())) {
            checkAll(c, p, Dtype.F32);
        }
    }

    @Test void gemma3MultimodalPicksTheLanguageModelAndExplicitHeadDim() throws IOException {
        // head_dim * heads (4 * 3 = 12) differs from hidden (8), as in Gemma; a vision tower with the same naming sits beside it
        String cfg = """
                {"model_type": "gemma3", "text_config": {"model_type": "gemma3_text", "num_hidden_layers": 2, "hidden_size": 8,
                 "num_attention_heads": 3, "num_key_value_heads": 1, "head_dim": 4, "intermediate_size": 16},
                 "vision_config": {"num_hidden_layers": 3}}""";
        var p = HfFolders.llama(dir.resolve("gemma"), cfg, "language_model.model.", 2, 8, 12, 4, 16, Dtype.F32, false, (l, q) -> null);
        Path vision = dir.resolve("gemma-vision.safetensors");
        SafetensorsBuilder vb = new SafetensorsBuilder();
        for (int l = 0; l < 3; l++)
            vb.add("vision_tower.vision_model.encoder.layers." + l + ".self_attn.q_proj.weight", SafetensorsStoreTest.random(5, 5, l), Dtype.F32);
        vb.write(vision);
        try (SafetensorsStore s = SafetensorsStore.open(vision)) {
            assertEquals(3, Architecture.detect(s, null).layers()); // the tower alone is found ...
        }
        try (Checkpoint c = Checkpoint.open(p.dir())) { // ... but with config.json the language model wins
            assertEquals("language_model.model.", c.architecture().prefix());
            assertEquals(12, c.load(0, Projection.Q).rows());
            checkAll(c, p, Dtype.F32);
        }
    }

    @Test void gpt2FusedConv1DIsSplitAndTransposed() throws IOException {
        var p = HfFolders.gpt2(dir.resolve("gpt2"), 3, 6, (l, q) -> null);
        try (Checkpoint c = Checkpoint.open(p.dir().resolve("model.safetensors"))) {
            assertEquals(Architecture.Family.GPT2, c.architecture().family());
            assertEquals(24, c.load(0, Projection.UP).rows()); // n_inner null -> 4 * n_embd, out x in
            checkAll(c, p, Dtype.F32);
        }
    }

    @Test void bertEncoderWithPrefix() throws IOException {
        var p = HfFolders.bert(dir.resolve("bert"), "bert.", 2, 6, 12, (l, q) -> null);
        try (Checkpoint c = Checkpoint.open(p.dir())) {
            assertEquals("bert.", c.architecture().prefix());
            checkAll(c, p, Dtype.F16);
        }
    }

    @Test void shapesAndLayerCountMustMatchConfig() throws IOException {
        String cfg = """
                {"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 8, "num_attention_heads": 4,
                 "num_key_value_heads": 4, "intermediate_size": 12}""";
        // K/V stored GQA-narrow (4) while the config says full multi-head attention (8)
        var p = HfFolders.llama(dir.resolve("bad"), cfg, "model.", 2, 8, 8, 4, 12, Dtype.F32, false, (l, q) -> null);
        try (Checkpoint c = Checkpoint.open(p.dir())) {
            c.load(0, Projection.Q);
            var e = assertThrows(CheckpointException.class, () -> c.load(0, Projection.K));
            assertTrue(e.getMessage().contains("model.layers.0.self_attn.k_proj.weight") && e.getMessage().contains("4x8")
                    && e.getMessage().contains("implies 8x8"), e.getMessage());
        }
        Files.writeString(p.dir().resolve("config.json"), cfg.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 32"));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.open(p.dir()));
        assertTrue(e.getMessage().contains("num_hidden_layers = 32") && e.getMessage().contains("holds 2 layers"), e.getMessage());
    }

    @Test void unknownNamingIsAClearError() throws IOException {
        Path f = new SafetensorsBuilder().add("foo.bar", SafetensorsStoreTest.random(2, 2, 1), Dtype.F32).write(dir.resolve("x.safetensors"));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.open(f));
        assertTrue(e.getMessage().contains("no known layer naming"), e.getMessage());
    }
}
