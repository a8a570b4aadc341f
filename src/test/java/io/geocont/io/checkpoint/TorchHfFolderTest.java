package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.geocont.io.checkpoint.TorchFixtures.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hugging Face folders holding pytorch_model.bin or its shards open like their safetensors twin. */
class TorchHfFolderTest {
    @TempDir Path dir;

    @Test void pytorchModelBinAndItsShardsHoldExactlyTheSafetensorsWeights() throws Exception {
        try (Checkpoint st = Checkpoint.open(path("llama-st")); Checkpoint bin = Checkpoint.open(path("llama-bin"));
             Checkpoint sharded = Checkpoint.open(path("llama-sharded"));
             Checkpoint file = Checkpoint.open(path("llama-bin/pytorch_model.bin"))) {
            assertInstanceOf(SafetensorsStore.class, st.store());
            for (Checkpoint c : new Checkpoint[] {bin, sharded, file}) {
                assertInstanceOf(TorchStore.class, c.store());
                assertEquals(Architecture.Family.LLAMA, c.architecture().family());
                assertEquals(3, c.layers());
                assertEquals(st.store().names().size(), c.store().names().size(), c.store().describe());
                for (int l = 0; l < 3; l++)
                    for (Projection p : c.projections()) assertEquals(st.load(l, p), c.load(l, p), c.store().describe() + " layer " + l + " " + p);
            }
            assertEquals("llama-bin (llama)", bin.name());
            Matrix embed = bin.store().readMatrix("model.embed_tokens.weight");
            assertEquals(embed, bin.store().readMatrix("lm_head.weight"), "tied weights share one storage");
            assertEquals(embed, st.store().readMatrix("lm_head.weight"));
        }
    }

    @Test void anIndexNamingATensorItsShardLacksIsOneClearError() throws Exception {
        Path src = path("llama-sharded");
        for (String f : new String[] {"config.json", "pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"})
            Files.copy(src.resolve(f), dir.resolve(f));
        String index = Files.readString(src.resolve("pytorch_model.bin.index.json"))
                .replace("\"weight_map\": {", "\"weight_map\": {\"model.extra.weight\": \"pytorch_model-00001-of-00002.bin\", ");
        Files.writeString(dir.resolve("pytorch_model.bin.index.json"), index);
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        TorchStoreTest.mentions(e, "pytorch_model.bin.index.json", "'model.extra.weight'", "pytorch_model-00001-of-00002.bin", "does not hold");
        Files.writeString(dir.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {\"a\": \"../x.bin\"}}");
        TorchStoreTest.mentions(assertThrows(CheckpointException.class, () -> Checkpoint.open(dir)), "lies outside");
    }

    @Test void safetensorsWinsWhenAFolderHoldsBoth() throws Exception {
        for (String f : new String[] {"config.json", "model.safetensors"}) Files.copy(path("llama-st").resolve(f), dir.resolve(f));
        Files.copy(path("llama-bin/pytorch_model.bin"), dir.resolve("pytorch_model.bin"));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertInstanceOf(SafetensorsStore.class, c.store(), "as transformers does: safetensors first");
        }
        Files.delete(dir.resolve("model.safetensors"));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertTrue(c.store().describe().endsWith("pytorch_model.bin"));
        }
    }
}
