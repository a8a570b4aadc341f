package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GGUF model opens as a Checkpoint like a Hugging Face folder: llama.cpp's blk.N.* names map
 * to q, k, v, o, gate, up, down, matrices come out out x in, and the architecture metadata is
 * the config the shapes are checked against. The fixture llama-tiny-*.gguf is llama-tiny/
 * (safetensors) converted the way convert_hf_to_gguf.py converts it (make_fixtures.py).
 */
class GgufLlamaTest {
    @TempDir Path dir;

    /** convert_hf_to_gguf.py's LlamaModel.permute on rows: within each head, rotate-half order becomes interleaved. */
    static Matrix permuteRows(Matrix w, int heads) {
        int half = w.rows() / heads / 2;
        float[] out = new float[w.data().length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < half; i++)
                for (int j = 0; j < 2; j++)
                    System.arraycopy(w.data(), (h * 2 * half + j * half + i) * w.cols(), out, (h * 2 * half + 2 * i + j) * w.cols(), w.cols());
        return new Matrix(w.rows(), w.cols(), out);
    }

    /** The safetensors matrix as the GGUF holds it: Q and K rows permuted, everything else unchanged. */
    static Matrix asConverted(Checkpoint hf, int layer, Projection p) throws CheckpointException {
        Matrix m = hf.load(layer, p);
        return p == Projection.Q ? permuteRows(m, 4) : p == Projection.K ? permuteRows(m, 2) : m;
    }

    static double relativeFrobenius(Matrix want, Matrix got) {
        double num = 0, den = 0;
        for (int i = 0; i < want.data().length; i++) {
            double d = got.data()[i] - want.data()[i];
            num += d * d;
            den += (double) want.data()[i] * want.data()[i];
        }
        return Math.sqrt(num / den);
    }

    @Test void convertedLlamaOpensWithItsMetadataAsConfig() throws IOException {
        try (Checkpoint c = Checkpoint.open(GgufFixtures.path("llama-tiny-f16.gguf"))) {
            assertEquals(Architecture.Family.LLAMA_CPP, c.architecture().family());
            assertEquals("llama-tiny-f16.gguf (llama)", c.name());
            assertEquals(3, c.layers());
            assertEquals(List.of(Projection.values()), c.projections());
            assertEquals(new ModelConfig("llama", 3, 64, 4, 2, 16, 128, "GGUF metadata (llama.*)"), c.config());
            assertEquals("blk.2.attn_output.weight", c.architecture().tensorName(2, Projection.O));
            assertEquals(32, c.load(0, Projection.K).rows(), "GQA: 2 kv heads x 16");
            assertEquals(128, c.load(0, Projection.DOWN).cols(), "out x in: down reads the 128-wide MLP");
        }
    }

    @Test void matricesAreTheSafetensorsOnesUpToTheConvertersPermutation() throws IOException {
        double[] bound = {0, 0.01, 0.1}; // F16 exact; Q8_0 and the 4/5-bit mix within their quantization noise
        String[] variants = {"f16", "q8_0", "q4mix"};
        try (Checkpoint hf = Checkpoint.open(GgufFixtures.path("llama-tiny"))) {
            for (int v = 0; v < variants.length; v++)
                try (Checkpoint g = Checkpoint.open(GgufFixtures.path("llama-tiny-" + variants[v] + ".gguf"))) {
                    for (int l = 0; l < 3; l++)
                        for (Projection p : Projection.values()) {
                            Matrix want = asConverted(hf, l, p), got = g.load(l, p);
                            String what = variants[v] + " " + p.key + " of layer " + l;
                            if (bound[v] == 0) assertEquals(want, got, what);
                            else assertTrue(relativeFrobenius(want, got) < bound[v], what + ": " + relativeFrobenius(want, got));
                        }
                }
        }
    }

    /** A llama-named GGUF with F32 weights; {@code edit} adds or replaces metadata (hidden 8, 2 heads, ff 12 otherwise). */
    private Path llama(String file, int layers, int kvWidth, boolean gate, Consumer<GgufBuilder> edit) throws IOException {
        GgufBuilder b = new GgufBuilder().string("general.architecture", "llama");
        edit.accept(b);
        for (var kv : java.util.Map.of("llama.block_count", layers, "llama.embedding_length", 8, "llama.attention.head_count", 2,
                "llama.feed_forward_length", 12).entrySet())
            if (!b.has(kv.getKey())) b.u32(kv.getKey(), kv.getValue());
        for (int l = 0; l < layers; l++) {
            b.tensor("blk." + l + ".attn_norm.weight", GgmlType.F32, new long[] {8}, GgufBuilder.f32(new float[8]));
            for (Projection p : Projection.values()) {
                if (p == Projection.GATE && !gate) continue;
                int out = switch (p) { case Q, O, DOWN -> 8; case K, V -> kvWidth; case GATE, UP -> 12; };
                int in = p == Projection.DOWN ? 12 : 8;
                b.tensor("blk." + l + "." + (p.ordinal() < 4 ? "attn_" + (p == Projection.O ? "output" : p.key) : "ffn_" + p.key) + ".weight",
                        GgmlType.F32, new long[] {in, out}, GgufBuilder.f32(SafetensorsStoreTest.random(out, in, 10L * l + p.ordinal()).data()));
            }
        }
        return b.write(dir.resolve(file));
    }

    @Test void ggufWithoutGateHasSixProjections() throws IOException {
        try (Checkpoint c = Checkpoint.open(llama("nogate.gguf", 2, 8, false, b -> { }))) {
            assertEquals(List.of(Projection.Q, Projection.K, Projection.V, Projection.O, Projection.UP, Projection.DOWN), c.projections());
            assertEquals(SafetensorsStoreTest.random(12, 8, 10L + Projection.UP.ordinal()), c.load(1, Projection.UP));
        }
    }

    @Test void shapesMustMatchTheMetadata() throws IOException {
        // K/V stored 4 wide (GQA) while the metadata says 2 heads of 4 and no head_count_kv: full width 8 expected
        try (Checkpoint c = Checkpoint.open(llama("gqa.gguf", 2, 4, true, b -> { }))) {
            c.load(0, Projection.Q);
            var e = assertThrows(CheckpointException.class, () -> c.load(0, Projection.K));
            assertTrue(e.getMessage().contains("gqa.gguf") && e.getMessage().contains("blk.0.attn_k.weight")
                    && e.getMessage().contains("4x8") && e.getMessage().contains("GGUF metadata (llama.*) implies 8x8"), e.getMessage());
        }
        try (Checkpoint c = Checkpoint.open(llama("gqa-ok.gguf", 2, 4, true, b -> b.u32("llama.attention.head_count_kv", 1)))) {
            assertEquals(4, c.load(1, Projection.V).rows());
        }
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.open(llama("blocks.gguf", 2, 8, true,
                b -> b.u32("llama.block_count", 5))));
        assertTrue(e.getMessage().contains("llama.block_count = 5") && e.getMessage().contains("2 blocks (blk.0 .. blk.1)"), e.getMessage());
    }

    @Test void perLayerArraysAreCheckedWhenUniform() throws IOException {
        try (Checkpoint c = Checkpoint.open(llama("arrays.gguf", 2, 8, true, b -> b.u32Array("llama.attention.head_count_kv", 2, 2)))) {
            assertEquals(2, c.config().kvHeads());
        }
        try (Checkpoint c = Checkpoint.open(llama("mixed.gguf", 2, 8, true, b -> b.u32Array("llama.feed_forward_length", 12, 24)))) {
            assertEquals(-1, c.config().intermediate(), "per-layer sizes that differ: not checked against one number");
            c.load(1, Projection.UP);
        }
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.open(llama("text.gguf", 2, 8, true,
                b -> b.string("llama.attention.head_count_kv", "two"))));
        assertTrue(e.getMessage().contains("llama.attention.head_count_kv") && e.getMessage().contains("expected a non-negative integer"),
                e.getMessage());
    }

    @Test void splitFilesAreRefusedWithTheWayOut() throws IOException {
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.open(llama("model-00001-of-00002.gguf", 2, 8, true,
                b -> b.raw("split.count", 2, GgufBuilder.le(2).putShort((short) 2).array()))));
        assertTrue(e.getMessage().contains("2-part split GGUF") && e.getMessage().contains("llama-gguf-split --merge"), e.getMessage());
    }
}
