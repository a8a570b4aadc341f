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

    @Test void outsideAPoolManySmallLoopsAndANestedOneCoverEveryIndexOnce() {
        int threads = Parallel.threads();
        Parallel.setThreads(4);
        try {
            AtomicIntegerArray hits = new AtomicIntegerArray(64);
            for (int rep = 0; rep < 2000; rep++)
                Parallel.forRange(64, 1, 4, (from, to) -> { for (int i = from; i < to; i++) hits.incrementAndGet(i); });
            for (int i = 0; i < 64; i++) assertEquals(2000, hits.get(i), "index " + i);
            AtomicIntegerArray nested = new AtomicIntegerArray(16 * 16);
            Parallel.forRange(16, 1, 4, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;   // the crew is busy with the outer loop: the inner one takes the ForkJoin path
                    Parallel.forRange(16, 1, 4, (f, t) -> { for (int j = f; j < t; j++) nested.incrementAndGet(row * 16 + j); });
                }
            });
            for (int i = 0; i < 256; i++) assertEquals(1, nested.get(i), "nested index " + i);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    /** The crew's workers spin between loops, but only for Crew.SPIN_NANOS: idle, they cost nothing. */
    @Test void idleWorkersDoNotBurnCpu() throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled());
        double[] sink = new double[8];
        for (int rep = 0; rep < 500; rep++)   // a burst of small loops, as a training step makes
            Parallel.forRange(8, 1, 8, (from, to) -> { for (int i = from; i < to; i++) sink[i] += Math.sqrt(i + sink[i]); });
        Thread.sleep(Math.max(20, 20 * Crew.SPIN_NANOS / 1_000_000));   // well past the spin bound
        long before = workersCpuNanos(mx);
        Thread.sleep(200);
        long burned = workersCpuNanos(mx) - before;
        assertTrue(burned < 10_000_000L, "geocont's idle workers used " + burned / 1e6 + " ms of CPU in 200 ms");
    }

    private static long workersCpuNanos(java.lang.management.ThreadMXBean mx) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t.getName().startsWith("geocont-")) sum += Math.max(0, mx.getThreadCpuTime(t.threadId()));
        return sum;
    }
}
