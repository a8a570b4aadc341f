package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property behind TorchFuzzTest and TorchFuzzLongTest: for any corruption of a torch.save file
 * (of its pickle inside an intact archive, or of the archive's bytes), opening it and reading
 * every matrix either succeeds or throws {@link CheckpointException}; never another exception,
 * never an OutOfMemoryError from a forged length, never a hang.
 */
final class TorchFuzz {
    /** Outcome of a run: how many inputs read, how many were rejected, the slowest case. */
    record Result(String target, int ok, int rejected, long slowestNanos, long totalNanos) {
        @Override public String toString() {
            return String.format("%s: %d inputs, %d read, %d rejected, 0 crashes, slowest case %.1f ms, total %.1f s",
                    target, ok + rejected, ok, rejected, slowestNanos / 1e6, totalNanos / 1e9);
        }
    }

    /** torch.save outputs as seeds: protocol 2 (nested training checkpoint, views of one storage, a Llama shard, a memo past 256) and protocol 4/5. */
    private static final List<String> SEEDS = List.of("nested-model.pt", "views.pt", "protocol5.pt", "dtypes.pt",
            "llama-sharded/pytorch_model-00001-of-00002.bin", "many.pt");
    /** Opcodes worth splicing into a pickle: containers, memo, calls, persistent ids, refused ones. */
    private static final byte[] OPCODES = "()tlde]}aus0124hjqrRbQcN\u0085\u0086\u0087\u0088\u0089\u008a\u0093\u0094\u0095\u0081\u0092iK.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private TorchFuzz() { }

    /** Mutates the data.pkl of each seed and puts it back into the seed's otherwise intact archive. */
    static Result pickles(int cases, long seed) {
        List<Map<String, byte[]>> archives = SEEDS.stream().map(TorchFixtures::entries).toList();
        List<byte[]> pickles = SEEDS.stream().map(TorchFixtures::pickle).toList();
        Random r = new Random(seed);
        return run("pickle in archive", cases, c -> {
            int s = c % SEEDS.size();
            byte[] p = r.nextBoolean() ? Mutations.mutate(pickles.get(s), r) : spliceOpcode(pickles.get(s), r);
            return StoredZip.withPickle(archives.get(s), p).build();
        });
    }

    /** Mutates whole archives: central directory, local headers, pickle and storage bytes alike. */
    static Result archives(int cases, long seed) {
        List<byte[]> files = SEEDS.stream().map(TorchFixtures::bytes).toList();
        Random r = new Random(seed);
        return run("whole archive", cases, c -> Mutations.mutate(files.get(c % files.size()), r));
    }

    private static byte[] spliceOpcode(byte[] pickle, Random r) {
        byte[] b = pickle.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) b[2 + r.nextInt(b.length - 2)] = OPCODES[r.nextInt(OPCODES.length)];
        return b;
    }

    private static Result run(String target, int cases, java.util.function.IntFunction<byte[]> input) {
        int ok = 0, rejected = 0;
        long slowest = 0, start = System.nanoTime();
        for (int c = 0; c < cases; c++) {
            byte[] b = input.apply(c);
            long t0 = System.nanoTime();
            try (TorchStore s = TorchStore.of(Path.of("fuzz-" + c + ".pt"), MemorySegment.ofArray(b))) {
                for (String n : s.names()) s.readMatrix(n);
                ok++;
            } catch (CheckpointException e) {
                rejected++;
            } catch (Throwable t) {
                fail(target + " case " + c + ": " + t + " on input " + Mutations.ascii(b), t);
            }
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        Result res = new Result(target, ok, rejected, slowest, System.nanoTime() - start);
        assertTrue(ok > 0 && rejected > cases / 10, "the mutations should give both readable and broken files: " + res);
        assertTrue(slowest < 2_000_000_000L, "no case may take seconds (a hang or super-linear path): " + res);
        return res;
    }
}
