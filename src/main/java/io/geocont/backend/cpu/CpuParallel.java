package io.geocont.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Runs a loop over [0, n) on a fixed pool, split into contiguous chunks. Every op that uses it
 * writes disjoint outputs per index and computes each output in a fixed order, so results are
 * bitwise identical whatever the thread count or timing (DESIGN: same seed = same run).
 */
final class CpuParallel implements AutoCloseable {
    /** The body of a loop over a half-open index range. */
    @FunctionalInterface
    interface RangeBody { void run(int from, int to); }

    private final int threads;
    private final ForkJoinPool pool;

    CpuParallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("CPU backend needs at least 1 thread, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("geocont-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    int threads() { return threads; }

    /**
     * Runs body over [0, n) in at most {@code threads} contiguous chunks of at least {@code grain}
     * indices each; runs inline when the work is small, single-threaded, or already on a worker.
     */
    void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || pool == null || ForkJoinTask.inForkJoinPool()
                && Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = pool.submit(() -> body.run(from, to));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (Throwable t) {
            failure = t;
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (Throwable e) {
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new RuntimeException(failure);
    }

    @Override public void close() {
        if (pool != null) pool.shutdown();
    }
}
