package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.io.checkpoint.GgufFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code geocont analyze model.gguf} gives the continuity table of the safetensors model it was
 * converted from (make_fixtures.py, with llama.cpp's per-head Q/K row permutation, which one
 * permutation of every layer's rows leaves continuity unchanged): F16 to 1e-6 per pair and the
 * same printed table; Q8_0 and a Q4_0/Q4_1/Q5_0/Q5_1 mix within their quantization noise
 * (measured: 3.4e-4 and 5.3e-3 at most per pair).
 */
class GgufAnalyzeCommandTest {
    @TempDir Path dir;

    private JsonNode analyze(Path model, String tag, StringBuilder table) throws Exception {
        Path json = dir.resolve(tag + ".json");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", model.toString(), "--out", dir.resolve(tag).toString(),
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        table.append(r.out());
        return new ObjectMapper().readTree(json.toFile());
    }

    /** The table without its first line (which names the model and the naming scheme). */
    private static String rows(StringBuilder table) { return table.substring(table.indexOf("\n") + 1); }

    @Test void ggufGivesTheSafetensorsTable() throws Exception {
        StringBuilder hfTable = new StringBuilder();
        JsonNode hf = analyze(GgufFixtures.path("llama-tiny"), "hf", hfTable);
        String[] variants = {"f16", "q8_0", "q4mix"};
        double[] tolerance = {1e-6, 2e-3, 2e-2};
        for (int v = 0; v < variants.length; v++) {
            StringBuilder table = new StringBuilder();
            JsonNode g = analyze(GgufFixtures.path("llama-tiny-" + variants[v] + ".gguf"), variants[v], table);
            assertTrue(table.toString().startsWith("model: llama-tiny-" + variants[v] + ".gguf (llama)  [LLAMA_CPP naming, layers 0:3 of 3"),
                    table.toString());
            if (variants[v].equals("f16")) assertEquals(rows(hfTable), rows(table), "same printed table");
            assertEquals(hf.get("projections").size(), g.get("projections").size());
            for (var it = hf.get("projections").fieldNames(); it.hasNext(); ) {
                String p = it.next();
                JsonNode a = hf.get("projections").get(p), b = g.get("projections").get(p);
                assertEquals(a.get("shape"), b.get("shape"), p);
                for (String side : new String[] {"v1", "u1"})
                    for (int i = 0; i < a.get(side).get("pairs").size(); i++)
                        assertEquals(a.get(side).get("pairs").get(i).asDouble(), b.get(side).get("pairs").get(i).asDouble(), tolerance[v],
                                variants[v] + " " + p + " " + side + " pair " + i);
            }
        }
    }

    @Test void brokenGgufIsOneLineAndExitCode2() throws Exception {
        byte[] ok = Files.readAllBytes(GgufFixtures.path("llama-tiny-q8_0.gguf"));
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(ok, ok.length - 1000));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", cut.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error:") && r.err().contains("cut.gguf: tensor 'output.weight'") && r.err().contains("truncated?"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
