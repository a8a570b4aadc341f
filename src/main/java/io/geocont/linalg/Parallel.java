package io.geocont.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * The one place geocont's host linear algebra runs work in parallel. Work is always split into
 * a fixed number of tasks chosen by the caller from the problem size (never from the core
 * count), so results are bitwise the same on any number of threads. Tasks run in the caller's
 * ForkJoinPool when called from one (so a library user bounds parallelism by submitting there),
 * else in geocont's own pool, sized by {@link #setThreads} or the system property
 * {@code geocont.threads} (default: the available processors); never in the common pool.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool;

    private Parallel() { }

    /** Sets the size of geocont's own pool (takes effect for work started afterwards). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        ForkJoinPool old = pool;
        pool = new ForkJoinPool(threads);
        if (old != null) old.shutdown();
    }

    /** The size of the pool work started now would use. */
    public static int threads() {
        return ForkJoinTask.inForkJoinPool() ? ForkJoinTask.getPool().getParallelism() : ownPool().getParallelism();
    }

    private static ForkJoinPool ownPool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    int n = Integer.getInteger("geocont.threads", Runtime.getRuntime().availableProcessors());
                    pool = new ForkJoinPool(Math.max(1, n));
                }
                p = pool;
            }
        }
        return p;
    }

    /**
     * As {@link #forEach(int, IntConsumer)}, but inline on this thread unless {@code worthIt}: tiny
     * problems (a 24 x 24 Ritz matrix) lose more to task hand-off than they gain.
     */
    public static void forEach(int tasks, boolean worthIt, IntConsumer body) {
        if (worthIt) forEach(tasks, body);
        else for (int t = 0; t < tasks; t++) body.accept(t);
    }

    /** Runs body(0) .. body(tasks - 1), in parallel where threads allow, and waits for all. */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 1 || threads() == 1) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
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
     * The task's own exception: ForkJoin rethrows a copy whose message is the original's toString()
     * ("java.lang.IllegalArgumentException: ..."), which would reach the user as noise.
     */
    private static RuntimeException unwrapped(RuntimeException e) {
        RuntimeException r = e;
        while (r.getCause() instanceof RuntimeException c && c.getClass() == r.getClass()) r = c;
        return r;
    }
}
