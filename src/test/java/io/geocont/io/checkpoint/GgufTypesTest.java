package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import io.geocont.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file gguf-py wrote (types.gguf: one tensor per readable type, metadata of every value
 * type, alignment 64) reads back as gguf-py reads it: each tensor equals
 * gguf.quants.dequantize()'s float32 result (types/T.npy) within 1e-6 relative, and every
 * metadata value has its written type and value.
 */
class GgufTypesTest {
    static final List<String> TYPES = List.of("F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K");

    @TempDir Path dir;

    /** max |got - want| / max(|want|, 1e-6 * max|want|): relative, with a floor for entries near zero. */
    static double relativeError(Matrix want, Matrix got) {
        assertEquals(want.rows(), got.rows());
        assertEquals(want.cols(), got.cols());
        double scale = 0, worst = 0;
        for (float w : want.data()) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.data().length; i++) {
            double w = want.data()[i];
            worst = Math.max(worst, Math.abs(got.data()[i] - w) / Math.max(Math.abs(w), 1e-6 * scale));
        }
        return worst;
    }

    @Test void everyTypeMatchesGgufPyDequantization() throws IOException {
        try (GgufStore s = GgufStore.open(GgufFixtures.path("types.gguf"))) {
            assertEquals(3, s.version());
            for (String t : TYPES) {
                Matrix want = Npy.readStack(GgufFixtures.path("types/" + t + ".npy")).get(0);
                Matrix got = s.readMatrix("t." + t);
                assertArrayEquals(new long[] {6, 512}, s.shape("t." + t), t + ": state-dict order (rows, cols)");
                double err = relativeError(want, got);
                assertTrue(err <= 1e-6, t + ": max relative error " + err);
                assertEquals(want, got, t + ": same float32 operations in the same order, so identical bits");
            }
        }
    }

    @Test void oneDimensionalIsOneRowAndThreeDimensionalIsAClearError() throws IOException {
        try (GgufStore s = GgufStore.open(GgufFixtures.path("types.gguf"))) {
            Matrix norm = s.readMatrix("norm.weight");
            assertEquals(1, norm.rows());
            assertEquals(512, norm.cols());
            assertArrayEquals(new long[] {2, 3, 32}, s.shape("t.F32_3d"));
            var e = assertThrows(CheckpointException.class, () -> s.readMatrix("t.F32_3d"));
            assertTrue(e.getMessage().contains("t.F32_3d") && e.getMessage().contains("expected a 2-D weight matrix")
                    && e.getMessage().contains("[32, 3, 2]"), e.getMessage());
        }
    }

    @Test void metadataOfEveryValueType() throws IOException {
        try (GgufStore s = GgufStore.open(GgufFixtures.path("types.gguf"))) {
            GgufMetadata md = s.metadata();
            assertEquals("fixture", md.get("general.architecture"));
            assertEquals(64L, md.get("general.alignment"));
            Object[][] want = {
                    {"fixture.u8", "UINT8", 200L}, {"fixture.i8", "INT8", -100L}, {"fixture.u16", "UINT16", 60000L},
                    {"fixture.i16", "INT16", -30000L}, {"fixture.u32", "UINT32", 4000000000L},
                    {"fixture.i32", "INT32", -2000000000L}, {"fixture.f32", "FLOAT32", 1.5}, {"fixture.bool", "BOOL", true},
                    {"fixture.string", "STRING", "h\u00e9llo \u2713"}, {"fixture.u64", "UINT64", Long.MIN_VALUE + 5},
                    {"fixture.i64", "INT64", -(1L << 40)}, {"fixture.f64", "FLOAT64", 0.1}};
            for (Object[] w : want) {
                assertEquals(w[1], md.type((String) w[0]), (String) w[0]);
                assertEquals(w[2], md.get((String) w[0]), (String) w[0]);
            }
            assertEquals(new GgufMetadata.Array("INT32", 3, List.of(1L, -2L, 3L)), md.get("fixture.array.i32"));
            assertEquals(new GgufMetadata.Array("FLOAT32", 2, List.of(0.5, -0.25)), md.get("fixture.array.f32"));
            assertEquals(new GgufMetadata.Array("BOOL", 3, List.of(true, false, true)), md.get("fixture.array.bool"));
            assertEquals(new GgufMetadata.Array("STRING", 3, List.of("a", "bc", "")), md.get("fixture.array.str"));
            assertEquals(new GgufMetadata.Array("ARRAY", 2, List.of(new GgufMetadata.Array("INT32", 2, List.of(1L, 2L)),
                    new GgufMetadata.Array("INT32", 1, List.of(3L)))), md.get("fixture.array.nested"));
            GgufMetadata.Array big = (GgufMetadata.Array) md.get("fixture.array.big");
            assertEquals("UINT8", big.elementType());
            assertEquals(76800, big.count());
            assertNull(big.values(), "arrays over the kept limit are checked and skipped, not held in memory");
        }
    }

    @Test void alignmentIsTakenFromMetadata() throws IOException {
        try (GgufStore s = GgufStore.open(GgufFixtures.path("types.gguf"))) {
            for (String n : s.names()) assertEquals(0, (s.tensor(n).begin()) % 64, n + " starts on a 64-byte boundary");
            assertEquals(78336, s.tensor("t.F32").begin(), "data section offset as gguf-py's reader computes it");
        }
    }

    @Test void versionTwoHasTheSameLayout() throws IOException {
        byte[] b = Files.readAllBytes(GgufFixtures.path("types.gguf"));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);
        Path v2 = Files.write(dir.resolve("types-v2.gguf"), b);
        try (GgufStore s = GgufStore.open(v2); GgufStore v3 = GgufStore.open(GgufFixtures.path("types.gguf"))) {
            assertEquals(2, s.version());
            for (String t : TYPES) assertEquals(v3.readMatrix("t." + t), s.readMatrix("t." + t), t);
        }
    }
}
