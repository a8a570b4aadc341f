package io.geocont.io.checkpoint;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: for any corruption of a valid GGUF file, parsing the header, metadata and tensor
 * infos, building the model config and architecture, and reading every tensor either succeeds
 * or throws {@link CheckpointException}: no other exception, no case slower than a second (a
 * forged count must not become a long loop), and no case allocating more than a small multiple
 * of the file's size (a forged length must not become an allocation). The default suite runs
 * 3,000 cases; the {@code long} tag (off by default, -Dgeocont.test.exclude= turns it on)
 * runs 100,000.
 */
class GgufFuzzTest {
    /** Edge values for length, count, type and dimension fields. */
    private static final long[] EDGES = {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 30, 31, 32, 33, 64, 255, 256, 0x7fff, 0xffff,
            0x7fffffffL, 0xffffffffL, 1L << 32, 1L << 40, Long.MAX_VALUE, -1L, Long.MIN_VALUE};

    /** Cases run before allocation is measured, so the hot paths are compiled. */
    private static final int WARMUP = 1000;
    /** Allocation not charged to the input: exception objects, stack traces, messages. */
    private static final long JVM_ALLOWANCE = 64 << 10;

    record Stats(int cases, int ok, int rejected, List<String> crashes, double slowestMs, double maxAllocPerByte, double seconds) { }

    /**
     * A small valid file touching every parser path: scalars of several types, string, int and
     * nested arrays, tensors of five types, a config the projections agree with (hidden 32, two
     * heads of 16, one kv head).
     */
    static byte[] seed() {
        float[] x = new float[32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i) * 2;
        byte[] q4k = new byte[144];
        for (int i = 0; i < q4k.length; i++) q4k[i] = (byte) (i * 37);
        q4k[0] = 0x66; q4k[1] = 0x1e; q4k[2] = 0x66; q4k[3] = 0x1a; // finite f16 d and dmin
        byte[] q4_0 = new byte[32 * 18];
        for (int i = 0; i < q4_0.length; i++) q4_0[i] = (byte) (i % 18 == 1 ? 0x1c : i * 11); // f16 d = 0x1cxx
        byte[] nested = ByteBuffer.allocate(12 + 2 * 16).order(ByteOrder.LITTLE_ENDIAN).putInt(9).putLong(2)
                .putInt(4).putLong(1).putInt(7).putInt(4).putLong(1).putInt(9).array();
        return new GgufBuilder()
                .string("general.architecture", "llama").u32("llama.block_count", 1).u32("llama.embedding_length", 32)
                .u32("llama.attention.head_count", 2).u32Array("llama.attention.head_count_kv", 1).u32("llama.feed_forward_length", 64)
                .f32("llama.rope.freq_base", 1e4f).bool("general.flag", true).u64("general.size", 12345)
                .stringArray("tokenizer.ggml.tokens", "<s>", "a", "bc").raw("general.nested", 9, nested).alignment(32)
                .tensor("token_embd.weight", GgmlType.Q8_0, new long[] {32, 2}, GgufBuilder.q8_0(java.util.Arrays.copyOf(x, 64)))
                .tensor("blk.0.attn_q.weight", GgmlType.Q4_0, new long[] {32, 32}, q4_0)
                .tensor("blk.0.attn_k.weight", GgmlType.F16, new long[] {32, 16}, GgufBuilder.f16(java.util.Arrays.copyOf(x, 512)))
                .tensor("blk.0.extra.weight", GgmlType.Q4_K, new long[] {256, 1}, q4k)
                .tensor("output_norm.weight", GgmlType.F32, new long[] {4}, GgufBuilder.f32(1, 2, 3, 4))
                .build();
    }

    /**
     * Half generic corruption, half a little-endian integer field overwritten with an edge value,
     * three times in four inside the first {@code front} bytes (header, metadata, tensor infos).
     */
    static byte[] mutate(byte[] valid, int front, Random r) {
        if (r.nextBoolean()) return Mutations.mutate(valid, r);
        byte[] b = valid.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int width = new int[] {1, 4, 8}[r.nextInt(3)];
            int at = r.nextInt(Math.max(1, (r.nextInt(4) > 0 ? front : b.length) - width + 1));
            long v = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(5) == 0 ? b.length - r.nextInt(64) : EDGES[r.nextInt(EDGES.length)];
            for (int i = 0; i < width && at + i < b.length; i++) b[at + i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** Everything geocont analyze does with a GGUF short of the SVD. */
    static void readAll(Path name, byte[] b) throws CheckpointException {
        GgufStore s = GgufStore.of(name, MemorySegment.ofArray(b));
        for (String n : s.names()) {
            s.shape(n);
            s.readMatrix(n);
        }
        ModelConfig config = GgufConfig.read(s);
        Architecture a = Architecture.detect(s, config);
        for (int l = 0; l < a.layers(); l++) for (Projection p : a.projections()) a.load(s, l, p);
    }

    private enum Outcome { READ, REJECTED, CRASHED }

    private static Outcome attempt(int c, byte[] b, List<String> crashes) {
        try {
            readAll(Path.of("fuzz-" + c + ".gguf"), b);
            return Outcome.READ;
        } catch (CheckpointException e) {
            return Outcome.REJECTED;
        } catch (Throwable t) {
            crashes.add("case " + c + ": " + t);
            return Outcome.CRASHED;
        }
    }

    static Stats run(int cases, long seed) throws CheckpointException {
        byte[] valid = seed();
        int front = (int) GgufHeader.parse(Path.of("seed.gguf"), MemorySegment.ofArray(valid)).dataStart();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(seed);
        int ok = 0, rejected = 0;
        List<String> crashes = new ArrayList<>();
        double slowest = 0, allocPerByte = 0;
        long start = System.nanoTime();
        for (int c = 0; c < cases; c++) {
            byte[] b = mutate(valid, front, r);
            long t0 = System.nanoTime(), a0 = threads.getCurrentThreadAllocatedBytes();
            Outcome o = attempt(c, b, crashes);
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1e6);
            long bytes = threads.getCurrentThreadAllocatedBytes() - a0 - JVM_ALLOWANCE;
            if (c < WARMUP) bytes = 0; // interpreted VarHandle and segment accesses box; compiled ones do not
            else if (bytes > 8L * b.length) { // the first run of a path allocates for the JVM itself: measure again
                a0 = threads.getCurrentThreadAllocatedBytes();
                attempt(c, b, new ArrayList<>());
                bytes = Math.min(bytes, threads.getCurrentThreadAllocatedBytes() - a0 - JVM_ALLOWANCE);
            }
            allocPerByte = Math.max(allocPerByte, bytes / (double) Math.max(b.length, 1));
            if (o == Outcome.READ) ok++;
            else if (o == Outcome.REJECTED) rejected++;
        }
        return new Stats(cases, ok, rejected, crashes, slowest, allocPerByte, (System.nanoTime() - start) / 1e9);
    }

    static void check(Stats s) {
        System.out.printf("GGUF fuzz: %d cases, %d read, %d rejected, %d crashes, slowest case %.1f ms, worst allocation"
                        + " beyond 64 KiB %.1f bytes per input byte, %.1f s%n", s.cases(), s.ok(), s.rejected(), s.crashes().size(), s.slowestMs(),
                s.maxAllocPerByte(), s.seconds());
        assertTrue(s.crashes().isEmpty(), s.crashes().size() + " inputs failed other than with CheckpointException: "
                + s.crashes().subList(0, Math.min(5, s.crashes().size())));
        assertTrue(s.slowestMs() < 1000, "a case took " + s.slowestMs() + " ms");
        assertTrue(s.maxAllocPerByte() < 64, "a case allocated " + s.maxAllocPerByte() + " bytes per input byte");
        assertTrue(s.ok() > 0 && s.rejected() > s.cases() / 4, "the mutator should produce both readable and broken files: " + s);
    }

    @Test void parserOnlySucceedsOrThrowsCheckpointException() throws CheckpointException {
        readAll(Path.of("seed.gguf"), seed()); // the seed itself is valid
        check(assertTimeoutPreemptively(Duration.ofMinutes(2), () -> run(3000, 20261201L)));
    }

    @Tag("long")
    @Test void hundredThousandMutatedInputs() {
        check(assertTimeoutPreemptively(Duration.ofMinutes(30), () -> run(100_000, 14L)));
    }
}
