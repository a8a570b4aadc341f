package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.io.checkpoint.TorchFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** geocont analyze on a PyTorch checkpoint gives the table of the same weights as safetensors. */
class TorchAnalyzeTest {
    @TempDir Path dir;

    /** A copy of fixture folder {@code name} as {@code <dir>/<copy>/tiny-llama}, so every copy prints the same model name. */
    private Path copy(String name, String copy) throws IOException {
        Path to = dir.resolve(copy).resolve("tiny-llama");
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(TorchFixtures.path(name))) {
            for (Path f : s.toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    @Test void pytorchModelBinGivesTheSafetensorsTable() throws Exception {
        String[] tables = new String[3];
        JsonNode[] json = new JsonNode[3];
        String[] kinds = {"llama-st", "llama-bin", "llama-sharded"};
        for (int i = 0; i < 3; i++) {
            Path model = copy(kinds[i], kinds[i]);
            AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", model.toString(), "--out", dir.resolve("out-" + i).toString());
            assertEquals(0, r.code(), r.err());
            tables[i] = r.out();
            json[i] = new ObjectMapper().readTree(dir.resolve("out-" + i).resolve("analysis.json").toFile());
        }
        assertTrue(tables[0].contains("model: tiny-llama (llama)  [LLAMA naming, layers 0:3 of 3"), tables[0]);
        assertEquals(tables[0], tables[1], "pytorch_model.bin");
        assertEquals(tables[0], tables[2], "sharded pytorch_model.bin.index.json");
        // The matrices are bit-identical (TorchHfFolderTest); the same folder analyzed twice in one JVM already differs
        // near 1e-8, because JIT-compiled vector reductions add in another order than the interpreter. Hence 1e-6.
        for (String p : new String[] {"q", "k", "v", "o", "gate", "up", "down"})
            for (int i = 1; i < 3; i++)
                for (String side : new String[] {"v1", "u1"}) {
                    JsonNode a = json[0].get("projections").get(p).get(side).get("pairs"), b = json[i].get("projections").get(p).get(side).get("pairs");
                    assertEquals(a.size(), b.size());
                    for (int k = 0; k < a.size(); k++)
                        assertEquals(a.get(k).asDouble(), b.get(k).asDouble(), 1e-6, kinds[i] + " " + p + " " + side + " pair " + k);
                }
        // the planted structure shows: readers align on v1, writers on u1
        assertTrue(json[1].get("projections").get("q").get("v1").get("mean").asDouble() > 0.8);
        assertTrue(json[1].get("projections").get("down").get("u1").get("mean").asDouble() > 0.8);
    }

    @Test void aMaliciousCheckpointIsOneLineAndExitCode2() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", TorchFixtures.path("malicious-os-system.pt").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error:") && r.err().contains("global posix.system is refused"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        r = AnalyzeCommandTest.run("analyze", TorchFixtures.path("malicious-eval.pkl").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("global builtins.eval is refused"), r.err());
        r = AnalyzeCommandTest.run("analyze", TorchFixtures.path("legacy.pt").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("legacy torch.save format"), r.err());
    }
}
