package io.geocont.linalg;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class LaneTest {

    @Test
    void everyTaskHasRunWhenAwaitReturns() {
        PoolSize.with(2, () -> {
            Lane lane = new Lane();
            int[] out = new int[200];
            for (int round = 0; round < 3; round++) {   // a lane is reused step after step
                int r = round;
                for (int i = 0; i < out.length; i++) {
                    int at = i;
                    lane.submit(() -> out[at] = at * at + r);
                }
                lane.await();
                for (int i = 0; i < out.length; i++) assertEquals(i * i + r, out[i], "task " + i + " of round " + r);
            }
            lane.await();   // nothing pending: returns at once
        });
    }

    @Test
    void tasksRunBesideTheCallerOnAPoolWorker() {
        PoolSize.with(2, () -> {
            Lane lane = new Lane();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            AtomicInteger ran = new AtomicInteger();
            lane.submit(() -> { threads.add(Thread.currentThread().getName()); ran.incrementAndGet(); });
            long deadline = System.nanoTime() + 5_000_000_000L;   // the caller does not await: only the worker can run it
            while (ran.get() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
            lane.await();
            assertEquals(1, ran.get());
            assertTrue(threads.stream().allMatch(n -> n.startsWith("geocont-")),
                    "the task ran on geocont's pool, not on the caller " + Thread.currentThread().getName() + ": " + threads);
        });
    }

    @Test
    void oneThreadRunsEachTaskAtSubmit() {
        PoolSize.with(1, () -> {
            Lane lane = new Lane();
            List<String> where = new ArrayList<>();
            lane.submit(() -> where.add(Thread.currentThread().getName()));
            assertEquals(List.of(Thread.currentThread().getName()), where, "ran on the caller before submit returned");
            lane.await();
        });
    }

    @Test
    void aFailureReachesAwaitAfterTheOtherTasksRan() {
        for (int threads : new int[]{1, 2}) {
            PoolSize.with(threads, () -> {
                Lane lane = new Lane();
                AtomicInteger ran = new AtomicInteger();
                lane.submit(ran::incrementAndGet);
                lane.submit(() -> { throw new IllegalStateException("gemm 3 failed"); });
                for (int i = 0; i < 20; i++) lane.submit(ran::incrementAndGet);
                IllegalStateException e = assertThrows(IllegalStateException.class, lane::await);
                assertEquals("gemm 3 failed", e.getMessage());
                assertEquals(21, ran.get(), "the tasks beside the failed one still ran");
                lane.submit(ran::incrementAndGet);   // the lane is usable again, the failure reported once
                lane.await();
                assertEquals(22, ran.get());
            });
        }
    }
}
