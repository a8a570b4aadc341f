package io.geocont.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocont.io.AtomicFiles;
import io.geocont.train.MlpRunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class Table1Test {
    static final SyntheticRuns.Shape A = new SyntheticRuns.Shape(0.9, 0.2, 0.8, 0.7, 0.25, 40, 0.9, 0.1, 5, 10, 3);
    static final SyntheticRuns.Shape B = new SyntheticRuns.Shape(0.9, 0.2, 0.6, 0.5, 0.35, 50, 0.7, 0.3, 5, 20, 1);

    @Test void meansAndStdsOverSeedsAtTheFinalEpoch() {
        List<MlpRunResult> rs = new ArrayList<>();
        rs.add(SyntheticRuns.run("res-relu", "sgd", 0, 4, A));
        rs.add(SyntheticRuns.run("res-relu", "sgd", 1, 4, B));
        rs.add(SyntheticRuns.run("nores-relu", "sgd", 0, 4, new SyntheticRuns.Shape(0.1, 0.2, 0.2, 0.2, 0.2, 60, 0.3, 0, 0, 0, 0.01)));
        Table1 t = new Table1(rs);
        assertEquals(2, t.rows().size());
        Table1.Row r = t.rows().get(0);
        assertEquals("res-relu", r.variant());
        assertTrue(r.residual());
        assertEquals("relu", r.activation());
        assertEquals("none", r.norm());
        assertEquals("sgd", r.optimizer());
        assertEquals(2, r.seeds());
        assertEquals(0.7, r.v1Mean(), 1e-12);
        assertEquals(Math.sqrt(0.02), r.v1Std(), 1e-12);      // sample std of 0.8 and 0.6
        assertEquals(0.6, r.u1Mean(), 1e-12);
        assertEquals(0.30, r.s2waMean(), 1e-12);
        assertEquals(45, r.erankMean(), 1e-12);
        assertEquals(0.8, r.gradCoherenceEpoch1(), 1e-12);
        assertEquals(0.2, r.dgwMean(), 1e-12);
        assertEquals(15, r.driftFinalDeg(), 1e-12);
        assertEquals(2, r.updateRatio(), 1e-12);
        assertEquals(0.9, r.accuracy(), 1e-12);
        assertEquals(0, t.rows().get(1).v1Std(), 0, "one seed: std 0");
        assertEquals(List.of("nores-relu (sgd)"), t.didNotLearn());
    }

    @Test void csvAndJsonCarryExactlyTheColumns(@TempDir Path dir) throws Exception {
        Table1 t = new Table1(SyntheticRuns.paperLike(3));
        t.write(dir);
        List<String> lines = Files.readAllLines(dir.resolve("table1.csv"));
        assertEquals("variant,residual,activation,norm,optimizer,seeds,accuracy,v1_mean,v1_std,u1_mean,u1_std,s2wa_mean,"
                + "erank_mean,grad_coherence_epoch1,dgw_mean,drift_final_deg,update_ratio", lines.get(0));
        assertEquals(1 + 6, lines.size());
        for (String l : lines) assertEquals(17, l.split(",").length, l);
        JsonNode j = AtomicFiles.json().readTree(dir.resolve("table1.json").toFile());
        assertEquals(6, j.get("rows").size());
        List<String> keys = new ArrayList<>();
        j.get("rows").get(0).fieldNames().forEachRemaining(keys::add);
        assertEquals(Table1.COLUMNS, keys);
        assertEquals(SyntheticRuns.BASELINE, j.get("baseline").asDouble(), 1e-12);
        assertEquals(0.05, j.get("config").get("lr").asDouble(), 1e-12);
        assertFalse(j.get("config").has("seed"), "the seed differs between runs, so it is not common config");
        assertEquals("res-relu", j.get("rows").get(0).get("variant").asText(), "rows follow the default grid order");
    }
}
