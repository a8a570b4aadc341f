package io.geocont.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * The one place geocont runs work in parallel: the host linear algebra and the CPU backend
 * both go through here. Work is always split into tasks chosen by the caller from the problem
 * size and each output is computed by one task in a fixed order, so results are bitwise the
 * same on any number of threads. Tasks run in the caller's ForkJoinPool when called from one (so
 * a library user bounds parallelism by submitting there), else in geocont's own pool, sized by
 * {@link #setThreads} or the system property {@code geocont.threads} (default: the available
 * processors); never in the common pool.
 */
public final class Parallel {
    /** The body of a loop over a half-open index range. */
    @FunctionalInterface
    public interface RangeBody { void run(int from, int to); }

    private static volatile ForkJoinPool pool;
    /** Hands the loops' chunks to {@code pool}'s workers without waking one per loop. */
    private static volatile Crew crew;

    private Parallel() { }

    /** Sets the size of geocont's own pool (takes effect for work started afterwards). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        ForkJoinPool old = pool;
        pool = newPool(threads);
        crew = new Crew(pool);
        if (old != null) old.shutdown();
    }

    /** The size of the pool work started now would use. */
    public static int threads() {
        return ForkJoinTask.inForkJoinPool() ? ForkJoinTask.getPool().getParallelism() : ownPool().getParallelism();
    }

    /** geocont's own pool (created on first use); package-private for {@link Lane}. */
    static ForkJoinPool ownPool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    Integer n = Integer.getInteger("geocont.threads");
                    if (n != null && n < 1) throw new IllegalArgumentException("-Dgeocont.threads must be >= 1, got " + n);
                    pool = newPool(n != null ? n : Runtime.getRuntime().availableProcessors());
                    crew = new Crew(pool);
                }
                p = pool;
            }
        }
        return p;
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, fj -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
            t.setName("geocont-" + t.getPoolIndex());
            t.setDaemon(true);   // an embedding application must not be kept alive by idle workers
            return t;
        }, null, false);
    }

    /**
     * As {@link #forEach(int, IntConsumer)}, but inline on this thread unless {@code worthIt}: tiny
     * problems (a 24 x 24 Ritz matrix) lose more to task hand-off than they gain.
     */
    public static void forEach(int tasks, boolean worthIt, IntConsumer body) {
        if (worthIt) forEach(tasks, body);
        else for (int t = 0; t < tasks; t++) body.accept(t);
    }

    /**
     * Runs body(0) .. body(tasks - 1), in parallel where threads allow, and waits for all; the
     * caller takes part, and outside a ForkJoinPool the tasks are claimed one at a time through
     * {@link Crew}, so more tasks than threads balance the load.
     */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 1 || threads() == 1) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        if (!ForkJoinTask.inForkJoinPool()) {
            ownPool();
            if (crew.tryRun(tasks, tasks, Integer.MAX_VALUE, (from, to) -> body.accept(from))) return;
        }
        List<RecursiveAction> actions = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int task = t;
            actions.add(new RecursiveAction() {
                @Override protected void compute() { body.accept(task); }
            });
        }
        try {
            if (ForkJoinTask.inForkJoinPool()) ForkJoinTask.invokeAll(actions);
            else ownPool().invoke(new RecursiveAction() {
                @Override protected void compute() { ForkJoinTask.invokeAll(actions); }
            });
        } catch (RuntimeException e) {
            throw unwrapped(e);
        }
    }

    /**
     * Runs body(0) .. body(tasks - 1) on at most {@code maxThreads} threads at a time (the caller's
     * included) and waits for all: outside a ForkJoinPool the tasks are claimed one at a time
     * through {@link Crew} (many small tasks balance a core that another process holds); inside
     * one, as {@link #forRange} over contiguous groups. The result must not depend on which
     * thread runs a task.
     */
    public static void forEachBounded(int tasks, int maxThreads, IntConsumer body) {
        int most = Math.min(maxThreads, threads());
        if (tasks <= 1 || most <= 1) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        if (!ForkJoinTask.inForkJoinPool()) {
            ownPool();
            if (crew.tryRun(tasks, tasks, most, (from, to) -> body.accept(from))) return;
        }
        forRange(tasks, 1, most, (from, to) -> { for (int t = from; t < to; t++) body.accept(t); });
    }

    /**
     * Runs body over [0, n) in contiguous chunks of at least {@code grain} indices, at most
     * {@code maxChunks} of them and no more than the pool has threads; inline when that leaves
     * one chunk. The calling thread takes part: outside a ForkJoinPool the chunks go to geocont's
     * pool through {@link Crew} (workers that stay awake 50 us between loops, so back-to-back
     * loops do not pay a wake-up each) and the caller runs every chunk no worker has
     * claimed; inside one, the caller runs the first chunk and forks the rest. Callers make the
     * result independent of the chunking.
     */
    public static void forRange(int n, int grain, int maxChunks, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(Math.min(maxChunks, threads()), Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        boolean inPool = ForkJoinTask.inForkJoinPool();
        ForkJoinPool own = inPool ? null : ownPool();
        if (!inPool && crew.tryRun(n, chunks, chunks, body)) return;
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            RecursiveAction a = new RecursiveAction() {
                @Override protected void compute() { body.run(from, to); }
            };
            tasks[c - 1] = inPool ? a.fork() : own.submit(a);
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (Throwable t) {
            failure = t;
        }
        for (int i = tasks.length - 1; i >= 0; i--) {   // reverse: a worker's own forks pop LIFO
            try {
                tasks[i].join();
            } catch (Throwable e) {
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException re) throw unwrapped(re);
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new RuntimeException(failure);
    }

    /**
     * The task's own exception: ForkJoin rethrows a copy whose message is the original's toString()
     * ("java.lang.IllegalArgumentException: ..."), which would reach the user as noise.
     */
    private static RuntimeException unwrapped(RuntimeException e) {
        RuntimeException r = e;
        while (r.getCause() instanceof RuntimeException c && c.getClass() == r.getClass()) r = c;
        return r;
    }
}
