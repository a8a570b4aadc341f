package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.io.checkpoint.CheckpointFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code geocont analyze} over a training run (a series of checkpoints) and its CSV table. */
class AnalyzeSeriesTest {
    @TempDir Path dir;

    /** step-2, step-9, step-10 with a shared input direction growing in that (numeric, not name) order. */
    private Path run() throws Exception {
        Path run = dir.resolve("run");
        CheckpointFixtures.sharedDirection(run.resolve("step-2"), 0, 0);
        CheckpointFixtures.sharedDirection(run.resolve("step-9"), 9, 0);
        CheckpointFixtures.sharedDirection(run.resolve("step-10"), 40, 0);
        Files.writeString(run.resolve("README"), "not a checkpoint");
        return run;
    }

    @Test void aFolderOfStepsIsASeriesOrderedByStepNumberWithGrowingContinuity() throws Exception {
        Path out = dir.resolve("out"), csv = dir.resolve("series.csv");
        var r = AnalyzeCommandTest.run("analyze", run().toString(), "--out", out.toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("series: 3 checkpoints"), r.out());
        JsonNode root = new ObjectMapper().readTree(out.resolve("series.json").toFile());
        assertEquals("[2,9,10]", root.get("steps").toString(), "step-10 after step-9");
        for (String p : List.of("q", "k", "v", "o", "gate", "up", "down")) {
            double[] v1 = new double[3];
            for (int i = 0; i < 3; i++)
                v1[i] = root.get("checkpoints").get(i).get("analysis").get("projections").get(p).get("v1").get("mean").asDouble();
            assertTrue(v1[0] < v1[1] && v1[1] < v1[2], p + ": continuity must grow with the step: " + Arrays.toString(v1));
            assertTrue(v1[2] > 0.95, p + " at the last step: " + v1[2]);
        }
        for (String f : List.of("series.png", "series-v1.png", "series-u1.png", "series-v1.svg", "series-u1.svg"))
            assertTrue(Files.size(out.resolve(f)) > 0, f);
    }

    @Test void csvHasOneRowPerStepProjectionAndPairMatchingTheJson() throws Exception {
        Path out = dir.resolve("out"), csv = dir.resolve("t.csv");
        Path run = run();
        var r = AnalyzeCommandTest.run("analyze", run.resolve("step-9").toString(), run.resolve("step-10").toString(),
                "--out", out.toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(out.resolve("series.json").toFile());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", io.geocont.report.ContinuityCsv.COLUMNS), lines.get(0));
        assertEquals(2 * 7 * 3, lines.size() - 1, "2 steps x 7 projections x 3 pairs");
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(12, f.length, line);
            int step = Integer.parseInt(f[1]);
            JsonNode cp = root.get("checkpoints").get(step == 9 ? 0 : 1).get("analysis");
            assertEquals(cp.get("model").asText(), f[0]);
            JsonNode p = cp.get("projections").get(f[2]);
            int layer = Integer.parseInt(f[3]);
            assertEquals(layer + 1, Integer.parseInt(f[4]));
            assertEquals(p.get("v1").get("pairs").get(layer).asDouble(), Double.parseDouble(f[5]), 0);
            assertEquals(p.get("u1").get("pairs").get(layer).asDouble(), Double.parseDouble(f[6]), 0);
            assertEquals(p.get("baseline_v1").asDouble(), Double.parseDouble(f[7]), 0);
            assertEquals(p.get("baseline_u1").asDouble(), Double.parseDouble(f[8]), 0);
            assertEquals(p.get("s1").get(layer).asDouble(), Double.parseDouble(f[9]), 0);
            assertEquals(p.get("s1_over_s2").get(layer).asDouble(), Double.parseDouble(f[10]), 0);
            assertEquals("", f[11], "every pair defined");
            checked++;
        }
        assertEquals(42, checked);
    }

    @Test void singleCheckpointCsvLeavesStepEmpty() throws Exception {
        Path csv = dir.resolve("one.csv");
        Path m = CheckpointFixtures.smallLlama(dir.resolve("m"));
        var r = AnalyzeCommandTest.run("analyze", m.toString(), "--out", dir.resolve("o").toString(), "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = new ArrayList<>();
        for (String l : Files.readAllLines(csv).subList(1, 22)) rows.add(l.split(",", -1));
        assertEquals(21, rows.size(), "7 projections x 3 pairs");
        for (String[] f : rows) assertEquals("", f[1]);
    }

    @Test void anotherArchitectureInTheSeriesIsAClearErrorNamingBoth() throws Exception {
        Path llama = CheckpointFixtures.smallLlama(dir.resolve("checkpoint-1"));
        Path gpt2 = CheckpointFixtures.smallGpt2(dir.resolve("checkpoint-2"));
        var r = AnalyzeCommandTest.run("analyze", llama.toString(), gpt2.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(llama.toString()) && r.err().contains(gpt2.toString()) && r.err().contains("architecture"), r.err());

        Path wide = CheckpointFixtures.randomLlama(dir.resolve("checkpoint-3"), 40);
        r = AnalyzeCommandTest.run("analyze", llama.toString(), wide.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("40x40") && r.err().contains("32x32") && r.err().contains(wide.toString()), "same naming, other shapes: " + r.err());
    }

    @Test void perCheckpointOptionsAreRefusedOnASeries() throws Exception {
        var r = AnalyzeCommandTest.run("analyze", run().toString(), "--all-pairs");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("one checkpoint"), r.err());
    }

    @Test void deepSpeedNamesAreStepsTooAndTwoFoldersOfOneStepAreAnError() throws Exception {
        Path run = dir.resolve("ds");
        CheckpointFixtures.randomLlama(run.resolve("global_step20"), 16);
        CheckpointFixtures.randomLlama(run.resolve("global_step3"), 16);
        Path out = dir.resolve("o");
        var r = AnalyzeCommandTest.run("analyze", run.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("[3,20]", new ObjectMapper().readTree(out.resolve("series.json").toFile()).get("steps").toString());

        CheckpointFixtures.randomLlama(run.resolve("checkpoint-3"), 16);
        r = AnalyzeCommandTest.run("analyze", run.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("two checkpoints of step 3"), r.err());
    }
}
