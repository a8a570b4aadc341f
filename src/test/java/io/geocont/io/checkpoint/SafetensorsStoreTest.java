package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsStoreTest {
    @TempDir Path dir;

    static Matrix random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return new Matrix(rows, cols, d);
    }

    @Test void readsF32F16Bf16AsFloat32() throws IOException {
        Matrix a = random(5, 3, 1), b = random(4, 6, 2), c = random(7, 2, 3);
        Path f = new SafetensorsBuilder().add("a", a, Dtype.F32).add("b", b, Dtype.F16).add("c", c, Dtype.BF16)
                .write(dir.resolve("m.safetensors"));
        try (SafetensorsStore s = SafetensorsStore.open(f)) {
            assertEquals(java.util.List.of("a", "b", "c"), java.util.List.copyOf(s.names()));
            assertArrayEquals(new long[] {4, 6}, s.shape("b"));
            assertEquals(a, s.readMatrix("a"));
            for (var e : java.util.Map.of("b", new Object[] {b, Dtype.F16}, "c", new Object[] {c, Dtype.BF16}).entrySet()) {
                Matrix want = (Matrix) e.getValue()[0];
                Matrix got = s.readMatrix(e.getKey());
                assertEquals(want.rows(), got.rows());
                for (int i = 0; i < want.data().length; i++)
                    assertEquals(SafetensorsBuilder.roundTrip(want.data()[i], (Dtype) e.getValue()[1]), got.data()[i], 0f, e.getKey() + "[" + i + "]");
            }
            // bf16 keeps about 3 significant digits: a real conversion, not a reinterpretation
            assertEquals(c.data()[0], s.readMatrix("c").data()[0], Math.abs(c.data()[0]) * 1e-2);
        }
    }

    @Test void readsShardedCheckpointThroughItsIndex() throws IOException {
        Matrix a = random(3, 3, 4), b = random(2, 5, 5);
        new SafetensorsBuilder().add("x.weight", a, Dtype.F32).write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsBuilder().add("y.weight", b, Dtype.BF16).write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"metadata": {"total_size": 56}, "weight_map": {
                  "x.weight": "model-00001-of-00002.safetensors", "y.weight": "model-00002-of-00002.safetensors"}}""");
        try (SafetensorsStore s = SafetensorsStore.openIndex(dir.resolve("model.safetensors.index.json"))) {
            assertEquals(a, s.readMatrix("x.weight"));
            assertEquals(5, s.readMatrix("y.weight").cols());
        }
        Files.writeString(dir.resolve("bad.index.json"), """
                {"weight_map": {"z.weight": "model-00001-of-00002.safetensors"}}""");
        var e = assertThrows(CheckpointException.class, () -> SafetensorsStore.openIndex(dir.resolve("bad.index.json")));
        assertTrue(e.getMessage().contains("z.weight") && e.getMessage().contains("does not hold"), e.getMessage());
    }

    private CheckpointException fails(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad-" + Arrays.hashCode(bytes) + ".safetensors");
        Files.write(f, bytes);
        return assertThrows(CheckpointException.class, () -> {
            try (SafetensorsStore s = SafetensorsStore.open(f)) {
                for (String n : s.names()) s.readMatrix(n);
            }
        });
    }

    private static void mentions(CheckpointException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }

    @Test void rejectsTruncationAndBadHeaderLength() throws IOException {
        byte[] ok = new SafetensorsBuilder().add("w", random(4, 4, 6), Dtype.F32).build();
        mentions(fails(Arrays.copyOf(ok, 5)), "truncated", "8-byte");
        mentions(fails(Arrays.copyOf(ok, 20)), "header length", "past the end");
        mentions(fails(Arrays.copyOf(ok, ok.length - 4)), "'w'", "out of range");
        byte[] huge = ok.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        mentions(fails(huge), "header length");
        mentions(fails(SafetensorsBuilder.raw("{not json", new byte[0])), "not valid JSON");
    }

    @Test void rejectsInconsistentTensors() throws IOException {
        byte[] payload = new byte[64];
        mentions(fails(SafetensorsBuilder.raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"v\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]}}", payload)), "overlap", "'w'", "'v'");
        mentions(fails(SafetensorsBuilder.raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[60,76]}}", payload)),
                "'w'", "out of range", "64 bytes");
        mentions(fails(SafetensorsBuilder.raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,16]}}", payload)),
                "'w'", "needs 24 bytes", "hold 16");
        mentions(fails(SafetensorsBuilder.raw("{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", payload)),
                "'w'", "unknown dtype 'Q4_K'");
        mentions(fails(SafetensorsBuilder.raw("{\"w\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", payload)),
                "'w'", "I32", "cannot be read");
        mentions(fails(SafetensorsBuilder.raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-2],\"data_offsets\":[0,16]}}", payload)),
                "'w'", "non-negative");
        mentions(fails(SafetensorsBuilder.raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}", payload)),
                "'w'", "overflows");
    }

    @Test void rejectsNonFiniteWeightsNamingTensorAndIndex() throws IOException {
        Matrix m = random(3, 4, 7);
        m.set(2, 1, Float.NaN);
        mentions(fails(new SafetensorsBuilder().add("layers.0.w", m, Dtype.BF16).build()), "'layers.0.w'", "NaN", "[2, 1]");
        m.set(2, 1, Float.POSITIVE_INFINITY);
        mentions(fails(new SafetensorsBuilder().add("layers.0.w", m, Dtype.F16).build()), "Infinity", "[2, 1]");
    }
    /**
     * f32 tensors are read in place like bf16 (no float32 copy of the matrix): the operand is not a
     * heap Matrix, and its top-k SVD is bitwise the SVD of the copied matrix (the same row kernels
     * over the mapped bytes as over the array), at a tensor offset that is not a multiple of 4 floats.
     */
    @Test void f32OperandIsReadInPlaceAndMatchesTheCopy() throws IOException {
        Matrix pad = random(1, 3, 4), a = random(300, 200, 5);
        a.set(7, 11, 40f); // a clear leading pair
        Path f = new SafetensorsBuilder().add("pad", pad, Dtype.F32).add("w", a, Dtype.F32).write(dir.resolve("f32.safetensors"));
        try (SafetensorsStore s = SafetensorsStore.open(f)) {
            io.geocont.linalg.GramOperator op = s.readOperand("w");
            assertTrue(!(op instanceof Matrix), "f32 operand should be read in place, got " + op.getClass().getSimpleName());
            assertTrue(op.describe().contains("w") && op.describe().contains("300x200"), op.describe());
            var inPlace = io.geocont.linalg.svd.Svds.topK(2).decompose(op);
            var copied = io.geocont.linalg.svd.Svds.topK(2).decompose(s.readMatrix("w"));
            assertArrayEquals(copied.s(), inPlace.s());
            assertArrayEquals(copied.v()[0], inPlace.v()[0]);
            assertArrayEquals(copied.u()[0], inPlace.u()[0]);
            assertEquals(a.frobeniusSq(), op.frobeniusSq(), 1e-9 * a.frobeniusSq());
            assertEquals(a, op.toMatrix());
        }
        Matrix bad = random(300, 200, 6);
        bad.set(123, 45, Float.NaN);
        Path g = new SafetensorsBuilder().add("w", bad, Dtype.F32).write(dir.resolve("nan.safetensors"));
        try (SafetensorsStore s = SafetensorsStore.open(g)) {
            var op = s.readOperand("w");
            var e = assertThrows(IllegalArgumentException.class, () -> io.geocont.linalg.svd.Svds.topK(1).decompose(op));
            assertTrue(e.getMessage().contains("NaN at row 123, column 45") && e.getMessage().contains("tensor w 300x200"), e.getMessage());
        }
    }
}
