package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxStoreTest {
    @TempDir Path dir;

    /** A one-layer BERT-style export: onnx::MatMul_N weights (in x out) named through the Add's bias, or the node path. */
    static OnnxBuilder bertLayer(OnnxBuilder b, int layer, Matrix q, Matrix k, Matrix v, Matrix o, Matrix up, Matrix down) {
        String p = "encoder.layer." + layer + ".";
        Object[][] ps = {{"attention.self.query", q}, {"attention.self.key", k}, {"attention.self.value", v},
                {"attention.output.dense", o}, {"intermediate.dense", up}, {"output.dense", down}};
        for (int i = 0; i < ps.length; i++) {
            String module = p + ps[i][0];
            Matrix w = (Matrix) ps[i][1];
            String wName = "onnx::MatMul_" + (100 * layer + i);
            String path = "/" + module.replace('.', '/').replace("layer/" + layer, "layer." + layer);
            b.matrixInXOut(wName, w);
            b.node(path + "/MatMul", "MatMul", List.of("h" + layer + "_" + i, wName), List.of(path + "/MatMul_output_0"));
            if (i != 2) { // value has no bias here: it must be found through the node's module path
                float[] bias = new float[w.rows()];
                b.initializer(module + ".bias", bias, new long[] {w.rows()}, i % 2 == 0);
                b.node(path + "/Add", "Add", List.of(module + ".bias", path + "/MatMul_output_0"), List.of(path + "/Add_output_0"));
            }
        }
        return b;
    }

    @Test void mapsMatMulInitializersToProjectionsAndTransposesToOutXIn() throws IOException {
        int d = 6, ff = 10;
        Matrix q = SafetensorsStoreTest.random(d, d, 1), k = SafetensorsStoreTest.random(d, d, 2), v = SafetensorsStoreTest.random(d, d, 3),
                o = SafetensorsStoreTest.random(d, d, 4), up = SafetensorsStoreTest.random(ff, d, 5), down = SafetensorsStoreTest.random(d, ff, 6);
        OnnxBuilder b = new OnnxBuilder();
        bertLayer(b, 0, q, k, v, o, up, down);
        bertLayer(b, 1, down.transpose(), k, v, o, up, down);
        // the attention product: a MatMul of two activations, which must not be taken for a weight
        b.node("/encoder/layer.0/attention/self/MatMul_1", "MatMul", List.of("a", "b"), List.of("c"));
        Path f = dir.resolve("model.onnx");
        Files.write(f, b.build());
        try (Checkpoint c = Checkpoint.open(f)) {
            assertEquals(Architecture.Family.BERT, c.architecture().family());
            assertEquals(2, c.layers());
            assertEquals(q, c.load(0, Projection.Q));
            assertEquals(v, c.load(0, Projection.V));
            assertEquals(up, c.load(0, Projection.UP));
            assertEquals(down, c.load(0, Projection.DOWN));
            assertArrayEquals(new long[] {ff, d}, c.store().shape("encoder.layer.0.intermediate.dense.weight"));
            assertEquals(down.transpose(), c.load(1, Projection.Q));
            assertFalse(c.store().names().stream().anyMatch(n -> n.contains("self.MatMul")));
        }
    }

    @Test void gemmFollowsTransB() throws IOException {
        Matrix w = SafetensorsStoreTest.random(5, 3, 8);
        OnnxBuilder b = new OnnxBuilder()
                .initializer("fc1.weight", w.data(), new long[] {5, 3}, false) // out x in, used with transB = 1
                .initializer("fc1.bias", new float[5], new long[] {5}, false)
                .node("gemm1", "Gemm", List.of("x", "fc1.weight", "fc1.bias"), List.of("y"), "transB", 1)
                .matrixInXOut("onnx::Gemm_9", w)                                 // in x out, transB = 0
                .initializer("fc2.bias", new float[5], new long[] {5}, false)
                .node("gemm2", "Gemm", List.of("y", "onnx::Gemm_9", "fc2.bias"), List.of("z"), "transB", 0);
        OnnxStore s = OnnxStore.of(Path.of("g.onnx"), OnnxReader.parse("g.onnx", b.build()));
        assertEquals(w, s.readMatrix("fc1.weight"));
        assertEquals(w, s.readMatrix("fc2.weight"));
    }

    @Test void nodePathFallback() {
        assertEquals("encoder.layer.3.attention.self.query", OnnxStore.modulePath("/encoder/layer.3/attention/self/query/MatMul"));
        assertEquals(null, OnnxStore.modulePath("/encoder/layer.3/attention/self/MatMul_1"));
        assertEquals(null, OnnxStore.modulePath("MatMul_12"));
    }

    @Test void rejectsBrokenModelsClearly() throws IOException {
        byte[] ok = bertLayer(new OnnxBuilder(), 0, SafetensorsStoreTest.random(4, 4, 1), SafetensorsStoreTest.random(4, 4, 2),
                SafetensorsStoreTest.random(4, 4, 3), SafetensorsStoreTest.random(4, 4, 4), SafetensorsStoreTest.random(8, 4, 5),
                SafetensorsStoreTest.random(4, 8, 6)).build();
        var e = assertThrows(CheckpointException.class, () -> OnnxReader.parse("t.onnx", Arrays.copyOf(ok, ok.length / 2)));
        assertTrue(e.getMessage().startsWith("t.onnx:"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> OnnxReader.parse("empty.onnx", new byte[] {8, 1}));
        assertTrue(e.getMessage().contains("no graph"), e.getMessage());
        // raw_data shorter than dims say
        byte[] t = OnnxBuilder.message(out -> {
            out.writeInt64(1, 3);
            out.writeInt64(1, 3);
            out.writeInt32(2, 1);
            out.writeString(8, "w");
            out.writeByteArray(9, new byte[32]);
        });
        byte[] g = OnnxBuilder.message(out -> out.writeByteArray(5, t));
        byte[] m = OnnxBuilder.message(out -> out.writeByteArray(7, g));
        e = assertThrows(CheckpointException.class, () -> OnnxReader.parse("short.onnx", m));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("needs 36 bytes"), e.getMessage());
    }
}
