package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.io.checkpoint.CheckpointFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeCommandTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), progress = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(progress, true));
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(), err + progress.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test void analyzesAFolderAndWritesTableJsonAndPlots() throws Exception {
        Path model = CheckpointFixtures.smallLlama(dir.resolve("tiny-llama"));
        Path out = dir.resolve("out"), json = dir.resolve("result.json");
        Run r = run("analyze", model.toString(), "--out", out.toString(), "--json", json.toString(), "--layers", "0:3");
        assertEquals(0, r.code(), r.err());
        for (String p : new String[] {"q ", "k ", "v ", "o ", "gate", "up ", "down"}) assertTrue(r.out().contains("\n" + p), r.out());
        assertTrue(r.err().contains("layer 3/3"), "progress on stderr: " + r.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(4, root.get("layers").asInt());
        JsonNode k = root.get("projections").get("k");
        assertEquals("[16,32]", k.get("shape").toString());
        assertEquals(2, k.get("v1").get("pairs").size());
        double mean = (k.get("v1").get("pairs").get(0).asDouble() + k.get("v1").get("pairs").get(1).asDouble()) / 2;
        assertEquals(mean, k.get("v1").get("mean").asDouble(), 1e-12);
        assertTrue(k.get("baseline_v1").asDouble() > 0.1 && k.get("baseline_u1").asDouble() > k.get("baseline_v1").asDouble());
        assertTrue(root.get("projections").get("q").get("v1").get("mean").asDouble() > 0.99, "planted shared input direction");
        for (String f : new String[] {"v1-pairs.png", "v1-pairs.svg", "u1-pairs.png", "u1-pairs.svg"})
            assertTrue(Files.size(out.resolve(f)) > 0, f);
    }

    @Test void badInputIsOneClearLineAndExitCode2() throws Exception {
        Path model = CheckpointFixtures.smallLlama(dir.resolve("m"));
        byte[] ok = Files.readAllBytes(model.resolve("model.safetensors"));
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(ok, ok.length - 100));
        Run r = run("analyze", truncated.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("error:") && r.err().contains("truncated") && r.err().contains("out of range"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());

        byte[] longHeader = ok.clone();
        ByteBuffer.wrap(longHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, ok.length);
        Files.write(truncated, longHeader);
        r = run("analyze", truncated.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("past the end"), r.err());

        r = run("analyze", model.toString(), "--layers", "3:9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--layers"), r.err());
        assertArrayEquals(new int[] {1, 4}, AnalyzeCommand.parseRange("1:", 4));
        assertArrayEquals(new int[] {0, 3}, AnalyzeCommand.parseRange(":-1", 4));
    }
}
