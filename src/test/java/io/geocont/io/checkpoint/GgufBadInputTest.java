package io.geocont.io.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a GGUF file can lie is one line naming the file (and the key or tensor) and what was
 * expected, as a CheckpointException: never a raw bounds error, never an allocation the size of
 * a forged length.
 */
class GgufBadInputTest {
    @TempDir Path dir;

    private static final long HUGE = 1L << 40;

    /** Opens {@code bytes} as x.gguf, reads every tensor, and returns the failure's message after checking its form. */
    private String failure(byte[] bytes, String... mustContain) throws IOException {
        Path f = Files.write(dir.resolve("x.gguf"), bytes);
        var e = assertThrows(CheckpointException.class, () -> {
            try (GgufStore s = GgufStore.open(f)) {
                for (String n : s.names()) s.readMatrix(n);
            }
        });
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString() + ": "), "names the file: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String s : mustContain) assertTrue(m.contains(s), "'" + s + "' in: " + m);
        return m;
    }

    private static GgufBuilder oneTensor(GgmlType type, long[] ne, byte[] data) {
        return new GgufBuilder().string("general.architecture", "llama").tensor("blk.0.attn_q.weight", type, ne, data);
    }

    @Test void notGgufWrongVersionBigEndian() throws IOException {
        failure(new byte[0], "not a GGUF file");
        failure("GGUX0000".getBytes(), "not a GGUF file", "magic 'GGUF'");
        failure(new GgufBuilder().version(1).build(), "version 1", "expected version 2 or 3");
        failure(new GgufBuilder().version(7).build(), "version 7 is unknown", "expected little-endian version 2 or 3");
        failure(new GgufBuilder().version(3 << 24).build(), "big-endian", "not supported");
        failure(Arrays.copyOf(new GgufBuilder().build(), 10), "truncated at byte 8 reading tensor count");
    }

    @Test void absurdCountsAndLengthsAreBoundedByTheFileSize() throws IOException {
        byte[] ok = new GgufBuilder().string("general.name", "tiny").build();
        byte[] b = ok.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(16, HUGE);
        failure(b, "claims " + HUGE + " metadata entries", "more than the file's");
        b = ok.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(8, HUGE);
        failure(b, HUGE + " tensors");
        b = ok.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(24, HUGE); // the key's length
        failure(b, "metadata key 0 at byte 24 claims " + HUGE + " bytes", "only 32 remain in the file");
        b = ok.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(24, -5);
        failure(b, "more than any file holds");
        failure(new GgufBuilder().raw("tokenizer.ggml.tokens", 9, GgufBuilder.le(12).putInt(8).putLong(HUGE).array()).build(),
                "'tokenizer.ggml.tokens'", "claims " + HUGE + " STRING elements", "bytes remain");
        failure(new GgufBuilder().raw("scores", 9, GgufBuilder.le(12).putInt(6).putLong(3).array()).build(),
                "'scores'", "3 FLOAT32 elements");
        byte[] nested = GgufBuilder.le(12).putInt(4).putLong(0).array();
        for (int i = 0; i < GgufHeader.MAX_NESTING; i++) {
            byte[] outer = GgufBuilder.le(12 + nested.length).putInt(9).putLong(1).put(nested).array();
            nested = outer;
        }
        failure(new GgufBuilder().raw("deep", 9, nested).build(), "'deep[0][0]", "nests arrays more than 8 deep");
    }

    @Test void badValuesAndKeys() throws IOException {
        failure(new GgufBuilder().raw("k", 13, new byte[4]).build(), "metadata 'k'", "value type 13", "expected 0..12");
        failure(new GgufBuilder().raw("k", 7, new byte[] {2}).build(), "value of 'k'", "a BOOL is 0 or 1");
        failure(new GgufBuilder().u32("k", 1).u32("k", 2).build(), "metadata key 'k'", "appears twice");
        failure(new GgufBuilder().alignment(48).build(), "general.alignment is 48", "power of two");
        failure(new GgufBuilder().i32("general.alignment", 64).build(), "general.alignment is 64 (INT32)", "UINT32");
    }

    @Test void impossibleDimsAndBlockCounts() throws IOException {
        failure(new GgufBuilder().tensorInfo("w", new long[] {1, 1, 1, 1, 1}, 0, 0).build(), "tensor 'w'", "5 dimensions", "at most 4");
        failure(new GgufBuilder().tensorInfo("w", new long[] {HUGE, HUGE}, 0, 0).build(), "tensor 'w'", "element count overflows");
        failure(new GgufBuilder().tensorInfo("w", new long[] {-1, 2}, 0, 0).build(), "dimension 0 of tensor 'w'", "more than any file holds");
        failure(oneTensor(GgmlType.Q4_K, new long[] {100, 2}, new byte[288]).build(), "tensor 'blk.0.attn_q.weight'",
                "Q4_K (type 12) stores rows in blocks of 256", "ne[0] = 100 is not a multiple of 256");
        failure(new GgufBuilder().tensor("a", GgmlType.F32, new long[] {8}, new byte[32]).tensor("a", GgmlType.F32, new long[] {8}, new byte[32]).build(),
                "tensor 'a' appears twice");
    }

    @Test void truncatedBlocksAndBadOffsets() throws IOException {
        float[] x = new float[96];
        for (int i = 0; i < x.length; i++) x[i] = i - 40;
        byte[] ok = oneTensor(GgmlType.Q8_0, new long[] {32, 3}, GgufBuilder.q8_0(x)).build();
        String m = failure(Arrays.copyOf(ok, ok.length - 5), "tensor 'blk.0.attn_q.weight'", "Q8_0 (type 8)",
                "needs 102 bytes (3 blocks of 34)", "the file ends at " + (ok.length - 5), "truncated?");
        assertTrue(m.contains("ne=[32, 3]"), m);
        failure(new GgufBuilder().tensorInfo("w", new long[] {4}, 0, 16).rawData(new byte[64]).build(), "tensor 'w'",
                "data offset 16 is not a multiple of the alignment 32");
        failure(new GgufBuilder().tensorInfo("w", new long[] {4}, 0, 1L << 20).build(), "tensor 'w'", "past the end of the file");
        failure(new GgufBuilder().tensorInfo("w", new long[] {4}, 0, Long.MAX_VALUE & ~31L).build(), "tensor 'w'", "past the end");
        failure(new GgufBuilder().tensorInfo("a", new long[] {16}, 0, 0).tensorInfo("b", new long[] {16}, 0, 32).rawData(new byte[96]).build(),
                "tensors 'a' and 'b' overlap");
    }

    @Test void unsupportedTypesAreNamedWhenRead() throws IOException {
        Path f = Files.write(dir.resolve("iq.gguf"), new GgufBuilder().tensor("iq", GgmlType.IQ2_XS, new long[] {256}, new byte[74])
                .tensorInfo("future", new long[] {64}, 99, 128).tensor("ok", GgmlType.F16, new long[] {2}, GgufBuilder.f16(1, 2)).rawData(new byte[64]).build());
        try (GgufStore s = GgufStore.open(f)) { // the file opens: other tensors stay readable
            assertEquals(2f, s.readMatrix("ok").data()[1]);
            var e = assertThrows(CheckpointException.class, () -> s.readMatrix("iq"));
            assertTrue(e.getMessage().contains("iq.gguf: tensor 'iq': tensor type IQ2_XS (type 17) is not supported")
                    && e.getMessage().contains("readable types: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, BF16"),
                    e.getMessage());
            e = assertThrows(CheckpointException.class, () -> s.readMatrix("future"));
            assertTrue(e.getMessage().contains("tensor 'future': tensor type unknown type 99 is not supported"), e.getMessage());
        }
    }

    @Test void nonFiniteWeightsAreNamedByIndex() throws IOException {
        failure(oneTensor(GgmlType.F16, new long[] {2, 2}, GgufBuilder.f16(1, 2, Float.POSITIVE_INFINITY, 4)).build(),
                "tensor 'blk.0.attn_q.weight'", "non-finite value Infinity at index [1, 0]");
        byte[] q = GgufBuilder.q8_0(new float[32]);
        q[0] = 0;
        q[1] = (byte) 0x7e; // f16 NaN scale
        q[2] = 1;
        failure(oneTensor(GgmlType.Q8_0, new long[] {32}, q).build(), "non-finite value NaN at index [0, 0]");
    }
}
