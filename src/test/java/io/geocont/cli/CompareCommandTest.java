package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.io.checkpoint.CheckpointFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code geocont compare A B}: leading directions of A against B, and continuity of W_B - W_A. */
class CompareCommandTest {
    @TempDir Path dir;

    @Test void aModelAgainstItselfHasCos1AndAnUndefinedDifference() throws Exception {
        Path m = CheckpointFixtures.smallLlama(dir.resolve("m"));
        Path json = dir.resolve("c.json"), csv = dir.resolve("c.csv");
        var r = AnalyzeCommandTest.run("compare", m.toString(), m.toString(), "--json", json.toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        for (var p : root.get("projections").properties()) {
            for (JsonNode c : p.getValue().get("v1_ab")) assertEquals(1.0, c.asDouble(), 1e-9, p.getKey());
            for (JsonNode c : p.getValue().get("u1_ab")) assertEquals(1.0, c.asDouble(), 1e-9, p.getKey());
            JsonNode d = root.get("difference").get("projections").get(p.getKey());
            assertTrue(d.get("v1").get("mean").isNull() && d.get("u1").get("mean").isNull(), "zero difference: " + d);
            for (JsonNode why : d.get("undefined")) assertTrue(why.asText().contains("zero matrix"), why.asText());
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", io.geocont.report.ComparisonReport.COLUMNS), lines.get(0));
        assertEquals(7 * 4, lines.size() - 1);
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            assertEquals(1.0, Double.parseDouble(f[4]), 1e-9);
            assertEquals("", f[8], "undefined difference pair is an empty cell: " + l);
            assertTrue(f[12].contains("dW s1 = 0"), l);
        }
        assertTrue(r.out().contains("undefined"), r.out());
    }

    @Test void aPlantedFineTuneDeltaIsAContinuousDifference() throws Exception {
        Path a = CheckpointFixtures.sharedDirection(dir.resolve("base"), 0, 0);
        Path b = CheckpointFixtures.sharedDirection(dir.resolve("tuned"), 0, 30);
        Path json = dir.resolve("c.json"), csv = dir.resolve("c.csv");
        var r = AnalyzeCommandTest.run("compare", a.toString(), b.toString(), "--json", json.toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(7 * 4, lines.size() - 1);
        for (String l : lines.subList(1, lines.size())) { // every cell read back against the JSON
            String[] f = l.split(",", -1);
            JsonNode p = root.get("projections").get(f[2]), d = root.get("difference").get("projections").get(f[2]);
            int layer = Integer.parseInt(f[3]);
            assertEquals(p.get("v1_ab").get(layer).asDouble(), Double.parseDouble(f[4]), 0, l);
            assertEquals(p.get("u1_ab").get(layer).asDouble(), Double.parseDouble(f[5]), 0, l);
            assertEquals(d.get("s1").get(layer).asDouble(), Double.parseDouble(f[6]), 0, l);
            if (layer < 3) {
                assertEquals(layer + 1, Integer.parseInt(f[7]), l);
                assertEquals(d.get("v1").get("pairs").get(layer).asDouble(), Double.parseDouble(f[8]), 0, l);
                assertEquals(d.get("u1").get("pairs").get(layer).asDouble(), Double.parseDouble(f[9]), 0, l);
            } else {
                assertTrue(f[7].isEmpty() && f[8].isEmpty() && f[9].isEmpty(), "no pair after the last layer: " + l);
            }
            assertEquals(d.get("baseline_v1").asDouble(), Double.parseDouble(f[10]), 0, l);
            assertEquals("", f[12], l);
        }
        for (var p : root.get("difference").get("projections").properties()) {
            double dv = p.getValue().get("v1").get("mean").asDouble();
            assertTrue(dv > 0.99, p.getKey() + ": the delta shares one input direction across layers: " + dv);
        }
        JsonNode baseQ = root.get("projections").get("q").get("v1_ab");
        for (JsonNode c : baseQ) assertTrue(c.asDouble() < 0.9, "the spike moved q's v1: " + baseQ);
    }

    @Test void differentShapesAreAClearError() throws Exception {
        Path llama = CheckpointFixtures.smallLlama(dir.resolve("llama"));
        Path gpt2 = CheckpointFixtures.smallGpt2(dir.resolve("gpt2"));
        var r = AnalyzeCommandTest.run("compare", llama.toString(), gpt2.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("same-shaped") && r.err().contains(llama.toString()) && r.err().contains(gpt2.toString()), r.err());

        Path wide = CheckpointFixtures.randomLlama(dir.resolve("wide"), 40);
        r = AnalyzeCommandTest.run("compare", llama.toString(), wide.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("same-shaped") && r.err().contains("40x40") && r.err().contains("32x32"), "same naming, other shapes: " + r.err());
    }
}
