package io.geocont.io.checkpoint;

import io.geocont.analysis.AnalysisResult;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Planted structure must come out on the right side: a direction shared by every layer's input
 * space (rank-1 term a_l b^T with b fixed) is v1 continuity, a shared output direction is u1.
 * A transposition bug anywhere in a reader swaps them, so each storage layout is checked.
 */
class CheckpointAnalyzerTest {
    @TempDir Path dir;

    static float[] unit(int n, Random r) {
        float[] x = new float[n];
        double s = 0;
        for (int i = 0; i < n; i++) s += (x[i] = (float) r.nextGaussian()) * (double) x[i];
        for (int i = 0; i < n; i++) x[i] /= (float) Math.sqrt(s);
        return x;
    }

    /** 8 * a b^T + noise (out x in); {@code sharedIn}/{@code sharedOut} fix b or a across layers. */
    static Matrix planted(int out, int in, int layer, boolean sharedIn, long seed) {
        Random shared = new Random(seed), own = new Random(seed * 31 + layer + 1);
        float[] fixedIn = unit(in, shared), fixedOut = unit(out, shared);
        float[] a = sharedIn ? unit(out, own) : fixedOut;
        float[] b = sharedIn ? fixedIn : unit(in, own);
        float[] d = new float[out * in];
        for (int i = 0; i < out; i++)
            for (int j = 0; j < in; j++) d[i * in + j] = 8f * a[i] * b[j] + 0.05f * (float) own.nextGaussian();
        return new Matrix(out, in, d);
    }

    private static AnalysisResult analyze(Path p, Svd svd, int k) throws IOException {
        try (Checkpoint c = Checkpoint.open(p)) {
            return new io.geocont.analysis.StackAnalyzer(svd, "test", k, null).analyze(CheckpointFixtures.model(c), 0, c.layers(), c.stacks(0, c.layers()));
        }
    }

    /** Readers of the residual stream planted with a shared input direction, writers with a shared output direction. */
    private static Matrix readWrite(int layer, Projection p, int out, int in) {
        boolean writes = p == Projection.O || p == Projection.DOWN;
        return planted(out, in, layer, !writes, 17 + p.ordinal());
    }

    private static void assertSplit(AnalysisResult r) {
        for (AnalysisResult.ProjectionResult p : r.projections().values()) {
            boolean writes = p.projection().equals("o") || p.projection().equals("down");
            double shared = writes ? p.u1Mean() : p.v1Mean(), other = writes ? p.v1Mean() : p.u1Mean();
            assertTrue(shared > 0.99, p.projection() + ": planted side " + shared);
            assertTrue(other < 0.5, p.projection() + ": other side " + other);
        }
    }

    @Test void aZeroLayerIsUndefinedInTheTableAndNullInTheJson() throws IOException {
        int h = 48, kv = 16, ff = 80, layers = 4;
        String cfg = "{\"model_type\": \"llama\", \"num_hidden_layers\": 4, \"hidden_size\": 48, \"num_attention_heads\": 6,"
                + " \"num_key_value_heads\": 2, \"intermediate_size\": 80}";
        // layer 1's q is all zeros (a zero-initialized LoRA B, say): its pairs 0-1 and 1-2 mean nothing
        var p = HfFolders.llama(dir.resolve("zero-q"), cfg, "model.", layers, h, h, kv, ff, Dtype.BF16, false, (l, q) -> switch (q) {
            case Q -> l == 1 ? io.geocont.linalg.Matrix.zeros(h, h) : readWrite(l, q, h, h);
            case K, V -> readWrite(l, q, kv, h);
            case O -> readWrite(l, q, h, h);
            case GATE, UP -> readWrite(l, q, ff, h);
            case DOWN -> readWrite(l, q, h, ff);
        });
        AnalysisResult r = analyze(p.dir(), io.geocont.linalg.svd.Svds.topK(1), 1);
        var q = r.projections().get("q");
        assertTrue(Double.isNaN(q.v1Pairs()[0]) && Double.isNaN(q.v1Pairs()[1]) && !Double.isNaN(q.v1Pairs()[2]));
        assertEquals(q.v1Pairs()[2], q.v1Mean(), 0, "the mean is over the defined pair only");
        assertTrue(q.undefined().get(1).contains("s1 = 0"), String.valueOf(q.undefined()));
        String table = io.geocont.report.AnalysisReport.table(r);
        assertTrue(table.contains("q layer 1: v1/u1 undefined, s1 = 0 (zero matrix)"), table);
        var json = io.geocont.report.AnalysisReport.json(r);
        String text = io.geocont.io.AtomicFiles.json().writeValueAsString(json);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).get("projections").get("q");
        assertTrue(node.get("v1").get("pairs").get(0).isNull() && node.get("v1").get("pairs").get(2).isNumber(), node.toString());
        assertFalse(text.contains("NaN"), text);
        assertNull(r.projections().get("k").undefined().get(1), "other projections are unaffected");
    }

    @Test void llamaGqaReadWriteSplitAndTopKMatchesExact() throws IOException {
        int h = 48, kv = 16, ff = 80, layers = 4;
        String cfg = "{\"model_type\": \"llama\", \"num_hidden_layers\": 4, \"hidden_size\": 48, \"num_attention_heads\": 6,"
                + " \"num_key_value_heads\": 2, \"intermediate_size\": 80}";
        var p = HfFolders.llama(dir.resolve("llama"), cfg, "model.", layers, h, h, kv, ff, Dtype.BF16, true, (l, q) -> switch (q) {
            case Q -> readWrite(l, q, h, h);
            case K, V -> readWrite(l, q, kv, h);
            case O -> readWrite(l, q, h, h);
            case GATE, UP -> readWrite(l, q, ff, h);
            case DOWN -> readWrite(l, q, h, ff);
        });
        AnalysisResult top = analyze(p.dir(), io.geocont.linalg.svd.Svds.topK(2), 2);
        AnalysisResult exact = analyze(p.dir(), new ReferenceSvd(2), 2);
        assertSplit(top);
        assertSplit(exact);
        for (Projection q : Projection.values()) {
            var a = top.projections().get(q.key);
            var b = exact.projections().get(q.key);
            assertEquals(layers - 1, a.v1Pairs().length);
            for (int i = 0; i < layers - 1; i++) {
                assertEquals(b.v1Pairs()[i], a.v1Pairs()[i], 1e-3, q.key + " v1 pair " + i);
                assertEquals(b.u1Pairs()[i], a.u1Pairs()[i], 1e-3, q.key + " u1 pair " + i);
            }
            assertEquals(io.geocont.analysis.Continuity.randomBaseline(a.cols()), a.baselineV1(), 1e-12);
            assertEquals(io.geocont.analysis.Continuity.randomBaseline(a.rows()), a.baselineU1(), 1e-12);
            for (int i = 0; i < layers - 1; i++) { // top-2 continuity: the mean of the first two directions' pairs
                assertEquals(b.topKV()[i], a.topKV()[i], 1e-3, q.key + " top-2 v pair " + i);
            }
        }
        assertEquals(kv, top.projections().get(Projection.K.key).rows());
    }

    @Test void gpt2Conv1DOrientation() throws IOException {
        int d = 24;
        var p = HfFolders.gpt2(dir.resolve("gpt2"), 3, d, (l, q) -> q == Projection.UP ? readWrite(l, q, 4 * d, d)
                : q == Projection.DOWN ? readWrite(l, q, d, 4 * d) : readWrite(l, q, d, d));
        assertSplit(analyze(p.dir(), new ReferenceSvd(1), 1));
    }

    @Test void bertAndOnnxOrientation() throws IOException {
        int d = 24, ff = 40;
        var p = HfFolders.bert(dir.resolve("bert"), "", 3, d, ff, (l, q) -> readWrite(l, q, q == Projection.UP ? ff : d, q == Projection.DOWN ? ff : d));
        assertSplit(analyze(p.dir(), new ReferenceSvd(1), 1));
        OnnxBuilder b = new OnnxBuilder();
        for (int l = 0; l < 3; l++) {
            var m = p.planted().get(l);
            OnnxStoreTest.bertLayer(b, l, m.get(Projection.Q), m.get(Projection.K), m.get(Projection.V), m.get(Projection.O),
                    m.get(Projection.UP), m.get(Projection.DOWN));
        }
        Path onnx = dir.resolve("bert.onnx");
        Files.write(onnx, b.build());
        assertSplit(analyze(onnx, new ReferenceSvd(1), 1));
    }
}
