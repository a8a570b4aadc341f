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
}
