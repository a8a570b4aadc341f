package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property: for any corruption of a valid safetensors or ONNX file, parsing and reading every
 * tensor either succeeds or throws {@link CheckpointException}; nothing else (no raw
 * IndexOutOfBounds from a segment, no NegativeArraySize, no OutOfMemory from a forged length).
 */
class CheckpointFuzzTest {
    private static final int CASES = 3000;

    @Test void safetensorsHeaderParserOnlySucceedsOrThrowsCheckpointException() {
        byte[] valid = new SafetensorsBuilder()
                .add("model.layers.0.self_attn.q_proj.weight", SafetensorsStoreTest.random(6, 4, 1), Dtype.BF16)
                .add("model.layers.0.mlp.up_proj.weight", SafetensorsStoreTest.random(3, 4, 2), Dtype.F32)
                .add("norm", new float[] {1, 2, 3, 4}, new long[] {4}, Dtype.F16).build();
        Random r = new Random(20260523L);
        int ok = 0, rejected = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] b = Mutations.mutate(valid, r);
            try {
                Map<String, TensorInfo> ts = SafetensorsHeader.parse(Path.of("fuzz-" + c), MemorySegment.ofArray(b));
                for (TensorInfo t : ts.values()) TensorReader.read(MemorySegment.ofArray(b), t);
                ok++;
            } catch (CheckpointException e) {
                rejected++;
            } catch (Throwable t) {
                fail("case " + c + ": " + t + " on input " + Mutations.ascii(b), t);
            }
        }
        assertTrue(rejected > CASES / 4 && ok > 0, "the generator should produce both readable and broken files: ok "
                + ok + ", rejected " + rejected);
    }

    @Test void onnxReaderOnlySucceedsOrThrowsCheckpointException() {
        Matrix q = SafetensorsStoreTest.random(4, 6, 3);
        byte[] valid = new OnnxBuilder()
                .matrixInXOut("onnx::MatMul_7", q)
                .initializer("encoder.layer.0.attention.self.query.bias", new float[] {1, 2, 3, 4}, new long[] {4}, true)
                .node("/encoder/layer.0/attention/self/query/MatMul", "MatMul", List.of("x", "onnx::MatMul_7"), List.of("mm"))
                .node("/encoder/layer.0/attention/self/query/Add", "Add", List.of("encoder.layer.0.attention.self.query.bias", "mm"), List.of("y"))
                .build();
        Random r = new Random(42L);
        int ok = 0, rejected = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] b = Mutations.mutate(valid, r);
            try {
                OnnxStore s = OnnxStore.of(Path.of("fuzz-" + c + ".onnx"), OnnxReader.parse("fuzz-" + c + ".onnx", b));
                for (String n : s.names()) s.readMatrix(n);
                ok++;
            } catch (CheckpointException e) {
                rejected++;
            } catch (Throwable t) {
                fail("case " + c + ": " + t, t);
            }
        }
        assertTrue(rejected > CASES / 10 && ok > 0, "ok " + ok + ", rejected " + rejected);
    }
}
