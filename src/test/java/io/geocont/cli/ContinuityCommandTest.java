package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.analysis.Continuity;
import io.geocont.linalg.Matrix;
import io.geocont.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ContinuityCommandTest {
    @TempDir Path dir;

    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) k.add(it.next());
        return k;
    }

    @Test void randomStackSitsAtBaselineAndJsonHasTheSchema() throws Exception {
        int layers = 41, out = 48, in = 32;
        Path npy = dir.resolve("random.npy"), json = dir.resolve("r.json");
        Npy.writeStack(npy, ContinuityCommand.randomStack(layers, out, in, 7));
        Run r = run("continuity", npy.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("SVD: exact"), r.out());
        assertTrue(r.out().contains("random baseline (d=32)"), r.out());
        assertTrue(r.out().contains("random baseline (d=48)"), r.out());
        assertTrue(r.out().contains("39-40"), "per-pair table: " + r.out());
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(List.of("layers", "shape", "baseline", "baseline_v1", "baseline_u1", "v1", "u1"), keys(j));
        assertEquals(layers, j.get("layers").asInt());
        assertEquals(out, j.get("shape").get(0).asInt());
        assertEquals(in, j.get("shape").get(1).asInt());
        assertEquals(Continuity.randomBaseline(in), j.get("baseline").asDouble(), 1e-15);
        assertEquals(Continuity.randomBaseline(in), j.get("baseline_v1").asDouble(), 1e-15);
        assertEquals(Continuity.randomBaseline(out), j.get("baseline_u1").asDouble(), 1e-15);
        for (String side : new String[] {"v1", "u1"}) {
            assertEquals(List.of("mean", "pairs"), keys(j.get(side)));
            assertEquals(layers - 1, j.get(side).get("pairs").size());
            int d = side.equals("v1") ? in : out;
            double se = Continuity.randomBaselineStd(d) / Math.sqrt(layers - 1);
            assertEquals(Continuity.randomBaseline(d), j.get(side).get("mean").asDouble(), 3 * se, side + " at baseline");
        }
    }

    @Test void plantedStackIsNearOneAndSquareJsonHasNoSideBaselines() throws Exception {
        Path npy = dir.resolve("planted.npy"), json = dir.resolve("p.json");
        List<Matrix> stack = ContinuityCommand.plantedStack(6, 90, 90, 6, 3) /* 90x90: large enough for real subspace iteration */;
        Npy.writeStack(npy, stack);
        Run r = run("continuity", npy.toString(), "--json", json.toString(), "--topk", "2", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("top-2 thick-restart Lanczos"), r.out());
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(List.of("layers", "shape", "baseline", "v1", "u1"), keys(j));
        assertTrue(j.get("v1").get("mean").asDouble() > 0.9, j.toString());
        assertTrue(j.get("u1").get("mean").asDouble() > 0.9, j.toString());
    }

    @Test void safetensorsLayersByPatternGiveTheSameNumbersAsNpy() throws Exception {
        List<Matrix> stack = ContinuityCommand.plantedStack(5, 40, 30, 6, 4);
        Path npy = dir.resolve("s.npy"), st = dir.resolve("s.safetensors"), j1 = dir.resolve("a.json"), j2 = dir.resolve("b.json");
        Npy.writeStack(npy, stack);
        io.geocont.io.checkpoint.SafetensorsWriter w = new io.geocont.io.checkpoint.SafetensorsWriter();
        for (int l = stack.size() - 1; l >= 0; l--) { // written out of order: layers are sorted by index, not by name
            Matrix m = stack.get(l);
            double[][] rows = new double[m.rows()][m.cols()];
            for (int r = 0; r < m.rows(); r++) for (int c = 0; c < m.cols(); c++) rows[r][c] = m.data()[r * m.cols() + c];
            w.addF64("model.layers." + l + ".mlp.up_proj.weight", rows);
        }
        w.addF64("model.norm.weight", new double[][] {{1, 2, 3}});
        w.write(st);
        assertEquals(0, run("continuity", npy.toString(), "--json", j1.toString()).code());
        Run r = run("continuity", st.toString(), "--tensors", "model.layers.{}.mlp.up_proj.weight", "--json", j2.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("5 layers of 40 x 30"), r.out());
        JsonNode a = new ObjectMapper().readTree(Files.readString(j1)), b = new ObjectMapper().readTree(Files.readString(j2));
        assertTrue(b.get("v1").get("mean").asDouble() > 0.9, b.toString());
        for (String side : new String[] {"v1", "u1"})
            for (int k = 0; k < 4; k++)
                assertEquals(a.get(side).get("pairs").get(k).asDouble(), b.get(side).get("pairs").get(k).asDouble(), 1e-6, side + " pair " + k);

        Run none = run("continuity", st.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--tensors PATTERN"), none.err());
        Run one = run("continuity", st.toString(), "--tensors", "model.layers.{}.self_attn.q_proj.weight");
        assertEquals(2, one.code());
        assertTrue(one.err().contains("0 tensor(s) match"), one.err());
    }

    @Test void exampleShowsTheContrastAndCanBeWritten() throws Exception {
        Run r = run("continuity", "--example");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Example 1") && r.out().contains("Example 2"), r.out());
        Path ex = dir.resolve("ex.npy");
        assertEquals(0, run("continuity", "--write-example", ex.toString()).code());
        assertArrayEquals(new long[] {12, 128, 128}, Npy.readHeader(ex).shape());
        Path json = dir.resolve("ex.json");
        assertEquals(0, run("continuity", ex.toString(), "--json", json.toString()).code());
        assertTrue(new ObjectMapper().readTree(Files.readString(json)).get("v1").get("mean").asDouble() > 0.9);
    }

    @Test void unconvergedTopKLayersAreReportedUndefinedNeverSilently() throws Exception {
        Path npy = dir.resolve("r.npy"), json = dir.resolve("r.json");
        Npy.writeStack(npy, ContinuityCommand.randomStack(3, 200, 200, 9));
        Run r = run("continuity", npy.toString(), "--topk", "1", "--max-iter", "2", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        for (int l = 0; l < 3; l++)
            assertTrue(r.out().contains("undefined: layer " + l + ": the SVD did not converge"), r.out());
        assertTrue(r.out().contains("mean v1 |cos| undefined"), r.out());
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertTrue(j.get("v1").get("mean").isNull(), j.toString());
        assertTrue(j.get("v1").get("pairs").get(0).isNull(), j.toString());
        assertEquals(3, j.get("undefined").size());
    }

    @Test void backendCudaIsHonouredOrAClearErrorNeverASilentCpuRun() throws Exception {
        boolean gpu;
        try (var b = io.geocont.backend.Backends.open("cuda", new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))) {
            gpu = true;
        } catch (io.geocont.backend.BackendUnavailableException e) {
            gpu = false;
        }
        Run r = run("continuity", "--example", "--backend", "cuda");
        if (gpu) {
            assertEquals(0, r.code(), r.err());
        } else {
            assertEquals(1, r.code(), r.out()); // an environment problem (exit 1), not bad input (2)
            assertTrue(r.err().contains("cuda") && r.err().contains("unavailable"), r.err());
            assertFalse(r.out().contains("Summary"), "nothing may run on the CPU instead: " + r.out());
        }
    }

    @Test void aMissingFileIsNamedAsMissing() {
        Run r = run("continuity", dir.resolve("nosuch.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nosuch.npy: no such file or folder"), r.err());
    }

    @Test void degenerateStacksAreUndefinedWithTheReason() throws Exception {
        Path id = dir.resolve("id.npy"), zero = dir.resolve("zero.npy");
        List<Matrix> eye = new java.util.ArrayList<>(), zeros = new java.util.ArrayList<>();
        for (int l = 0; l < 3; l++) {
            Matrix e = Matrix.zeros(8, 8);
            for (int i = 0; i < 8; i++) e.set(i, i, 1);
            eye.add(e);
            zeros.add(Matrix.zeros(8, 8));
        }
        Npy.writeStack(id, eye);
        Npy.writeStack(zero, zeros);
        Run a = run("continuity", id.toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("tied leading pair") && a.out().contains("mean v1 |cos| undefined"), a.out());
        assertTrue(a.out().contains("0-1       undefined  undefined"), "identity stacks must not print continuity 1: " + a.out());
        Run z = run("continuity", zero.toString());
        assertTrue(z.out().contains("s1 = 0 (zero matrix)") && z.out().contains("mean u1 |cos| undefined"), z.out());
    }

    @Test void badInputGivesOneClearLineAndExitCode2() throws Exception {
        Path bad = dir.resolve("bad.npy");
        Files.writeString(bad, "hello");
        Run r = run("continuity", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.npy") && r.err().contains("truncated header"), r.err());
        assertEquals(2, run("continuity").code());
        Path one = dir.resolve("one.npy");
        Npy.writeMatrix(one, Matrix.zeros(3, 3));
        Run o = run("continuity", one.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("layers >= 2"), o.err());
        assertEquals(2, run("continuity", "--example", "--exact", "--topk", "1").code());
    }
}
