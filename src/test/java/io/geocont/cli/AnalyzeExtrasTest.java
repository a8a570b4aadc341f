package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.io.checkpoint.CheckpointFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analyze --all-pairs (layer x layer |cos| heat maps) and --baseline shuffled (an empirical null). */
class AnalyzeExtrasTest {
    @TempDir Path dir;

    @Test void allPairsIsSymmetricWithUnitDiagonalAndHighWhereADirectionIsShared() throws Exception {
        Path shared = CheckpointFixtures.sharedDirection(dir.resolve("shared"), 40, 0);
        Path noise = CheckpointFixtures.sharedDirection(dir.resolve("noise"), 0, 0);
        for (Path m : new Path[] {shared, noise}) {
            Path out = dir.resolve("out-" + m.getFileName());
            var r = AnalyzeCommandTest.run("analyze", m.toString(), "--out", out.toString(), "--all-pairs");
            assertEquals(0, r.code(), r.err());
            JsonNode v1 = new ObjectMapper().readTree(out.resolve("all-pairs.json").toFile()).get("q").get("v1");
            assertEquals(4, v1.size());
            double offDiagonalMin = 1, offDiagonalMax = 0;
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) {
                    double c = v1.get(i).get(j).asDouble();
                    assertEquals(c, v1.get(j).get(i).asDouble(), 1e-12);
                    if (i == j) assertEquals(1.0, c, 1e-9);
                    else { offDiagonalMin = Math.min(offDiagonalMin, c); offDiagonalMax = Math.max(offDiagonalMax, c); }
                }
            if (m == shared) assertTrue(offDiagonalMin > 0.95, "every layer pair shares v1: " + v1);
            else assertTrue(offDiagonalMax < 0.7, "no shared direction in noise: " + v1);
            for (String f : new String[] {"all-pairs-q-v1.png", "all-pairs-down-u1.png", "all-pairs-q-v1.svg"})
                assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }

    @Test void shuffledBaselineDestroysAPlantedDirectionAndIsSeeded() throws Exception {
        Path m = CheckpointFixtures.sharedDirection(dir.resolve("m"), 40, 0);
        double[] q = new double[3];
        String[] seeds = {"1", "1", "2"};
        for (int i = 0; i < 3; i++) {
            Path json = dir.resolve("a" + i + ".json");
            var r = AnalyzeCommandTest.run("analyze", m.toString(), "--out", dir.resolve("o").toString(), "--json", json.toString(),
                    "--baseline", "shuffled", "--seed", seeds[i]);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("shuffled baseline"), r.out());
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertTrue(root.get("projections").get("q").get("v1").get("mean").asDouble() > 0.95);
            JsonNode s = root.get("shuffled_baseline").get("projections");
            for (var p : s.properties())
                assertTrue(p.getValue().get("v1").get("mean").asDouble() < 0.5, p.getKey() + " shuffled: " + p.getValue());
            q[i] = s.get("q").get("v1").get("mean").asDouble();
        }
        assertEquals(q[0], q[1], 0, "same seed, same null");
        assertNotEquals(q[0], q[2], "another seed, another permutation");
        var bad = AnalyzeCommandTest.run("analyze", m.toString(), "--baseline", "gaussian");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--baseline"), bad.err());
    }

    @Test void anUndefinedLayerIsEmptyCellsWithItsReasonInTheCsvAndNullInAllPairs() throws Exception {
        Path m = CheckpointFixtures.withZeroLayer(dir.resolve("z"), 2);
        Path out = dir.resolve("o"), csv = dir.resolve("z.csv");
        var r = AnalyzeCommandTest.run("analyze", m.toString(), "--out", out.toString(), "--csv", csv.toString(), "--all-pairs");
        assertEquals(0, r.code(), r.err());
        int undefined = 0;
        for (String line : Files.readAllLines(csv).subList(1, 22)) {
            String[] f = line.split(",", -1);
            int layer = Integer.parseInt(f[3]);
            boolean touches = layer == 1 || layer == 2;
            assertEquals(touches, f[5].isEmpty(), line);
            assertEquals(touches, f[6].isEmpty(), line);
            if (touches) {
                assertEquals("layer 2: s1 = 0 (zero matrix)", f[11], line);
                undefined++;
            } else {
                assertEquals("", f[11], line);
                Double.parseDouble(f[5]);
            }
        }
        assertEquals(14, undefined, "7 projections x the 2 pairs touching layer 2");
        JsonNode v1 = new ObjectMapper().readTree(out.resolve("all-pairs.json").toFile()).get("k").get("v1");
        for (int i = 0; i < 4; i++) {
            assertTrue(v1.get(2).get(i).isNull() && v1.get(i).get(2).isNull(), "row and column of the zero layer: " + v1);
            if (i != 2) assertEquals(1.0, v1.get(i).get(i).asDouble(), 1e-9);
        }
        assertTrue(Files.size(out.resolve("all-pairs-k-v1.png")) > 0);
    }
}
