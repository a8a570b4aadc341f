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
}
