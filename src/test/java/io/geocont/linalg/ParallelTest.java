package io.geocont.linalg;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

class ParallelTest {
    @Test void everyTaskRunsOnceInTheCallersPool() throws Exception {
        AtomicIntegerArray ran = new AtomicIntegerArray(16);
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            pool.submit(() -> {
                assertEquals(3, Parallel.threads());
                Parallel.forEach(16, t -> ran.incrementAndGet(t));
            }).get();
        } finally {
            pool.shutdown();
        }
        for (int t = 0; t < 16; t++) assertEquals(1, ran.get(t));
    }

    @Test void aTasksErrorReachesTheCallerAsItWasThrown() {
        // ForkJoin rethrows a copy whose message is "java.lang.IllegalArgumentException: ..."; users must see the original
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forEach(8, t -> { if (t == 5) throw new IllegalArgumentException("layer 5: non-finite value"); }));
        assertEquals("layer 5: non-finite value", e.getMessage());
    }

    @Test void forRangeCoversEveryIndexOnceInContiguousChunksAtMostMaxChunks() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            pool.submit(() -> {
                AtomicIntegerArray hits = new AtomicIntegerArray(1000);
                java.util.concurrent.atomic.AtomicInteger chunks = new java.util.concurrent.atomic.AtomicInteger();
                Parallel.forRange(1000, 10, 2, (from, to) -> {
                    assertTrue(from < to, "empty chunk " + from + ".." + to);
                    chunks.incrementAndGet();
                    for (int i = from; i < to; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < 1000; i++) assertEquals(1, hits.get(i), "index " + i);
                assertEquals(2, chunks.get(), "maxChunks bounds the split");
                chunks.set(0);
                Parallel.forRange(25, 10, 8, (from, to) -> chunks.incrementAndGet());
                assertEquals(2, chunks.get(), "no chunk below the grain: 25 / 10 -> 2");
            }).get();
        } finally {
            pool.shutdown();
        }
    }

    @Test void forRangeRethrowsAChunksErrorAsThrown() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.forRange(100, 1, 4, (from, to) -> { if (to == 100) throw new IllegalStateException("last chunk failed"); }));
        assertEquals("last chunk failed", e.getMessage());
    }
}
