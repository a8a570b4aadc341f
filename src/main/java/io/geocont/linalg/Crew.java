package io.geocont.linalg;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands a loop's chunks to pool workers that stay awake for a short while after their last loop,
 * so that back-to-back parallel loops (the two of a GEMM, a step's GEMMs) do not each pay for
 * waking a parked worker (a 2-chunk ForkJoin loop after 2 ms idle: 10-65 us on the 2-core VM,
 * back to back 5-20 us; through the crew 0.2-1 us back to back; benchmarks/gemm/GemmShapes.java
 * measures both). The workers are ordinary tasks of {@link Parallel}'s pool: each spins on
 * {@link #current} for at most {@link #SPIN_NANOS} (50 us) after the last chunk it ran, then
 * returns to the pool, which parks it, so an idle library burns no CPU (ParallelTest measures it).
 * OpenBLAS's threads also spin before they sleep, for far longer.
 *
 * <p>Chunks are claimed from a shared counter, the caller included; a chunk is a fixed index range,
 * so which thread runs it never changes what it computes. The caller runs every chunk no worker has
 * claimed, so a loop finishes even when no worker ever shows up (a busy pool, a descheduled core).
 * One loop at a time uses the crew; a loop started while another one runs (a nested loop on the
 * caller's thread, a second application thread) takes the ForkJoin path instead.
 */
final class Crew {
    /**
     * How long a worker keeps looking for the next loop before it returns to the pool, which parks
     * it: longer than the gaps between the MLP step's GEMMs (a bias and activation on the caller's
     * thread), short enough to be free when idle. Spinning longer, or yielding while spinning, was
     * slower on the loaded 2-core VM (load 5-6): the Linux scheduler favours a thread that
     * slept when it is woken, while a spinning one uses up its share, so there a parked worker
     * woken by the next loop gets to run sooner than one that kept polling.
     */
    static final long SPIN_NANOS = 50_000;
    /** The caller spins this long for the chunks others run, then parks. */
    private static final long CALLER_SPIN_NANOS = 50_000;

    /** One parallel loop: body over [0, n) in {@code chunks} fixed ranges, on at most seats + 1 threads. */
    private static final class Job {
        final int n, chunks;
        final Parallel.RangeBody body;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger(), seats;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread caller = Thread.currentThread();
        volatile boolean callerParked;

        Job(int n, int chunks, int maxThreads, Parallel.RangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.seats = new AtomicInteger(maxThreads - 1);
        }

        /** Claims and runs chunks until none is left; true if this thread ran any. */
        boolean work() {
            boolean ran = false;
            for (int c; (c = next.getAndIncrement()) < chunks; ran = true) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (done.incrementAndGet() == chunks && callerParked) LockSupport.unpark(caller);
            }
            return ran;
        }

        boolean unclaimed() { return next.get() < chunks; }
    }

    private final ForkJoinPool pool;
    private final int helpers;
    /** The loop in progress, or null; a worker looks here while it spins. */
    private volatile Job current;
    private final AtomicInteger busy = new AtomicInteger();
    /** Workers now spinning or running chunks (started and not yet returned to the pool). */
    private final AtomicInteger awake = new AtomicInteger();

    Crew(ForkJoinPool pool) {
        this.pool = pool;
        this.helpers = pool.getParallelism() - 1;
    }

    /**
     * Runs body over [0, n) in {@code chunks} fixed ranges on at most {@code maxThreads} threads
     * (the caller's included) and returns true, or returns false at once if another loop holds the crew.
     */
    boolean tryRun(int n, int chunks, int maxThreads, Parallel.RangeBody body) {
        if (!busy.compareAndSet(0, 1)) return false;
        Job job = new Job(n, chunks, maxThreads, body);
        try {
            current = job;
            int want = Math.min(helpers, Math.min(chunks, maxThreads) - 1);
            for (int a; (a = awake.get()) < want; ) {
                if (!awake.compareAndSet(a, a + 1)) continue;
                try {
                    pool.execute(this::spin);
                } catch (RejectedExecutionException e) {   // setThreads shut this pool down: run it here
                    awake.decrementAndGet();
                    break;
                }
            }
            job.work();
            awaitDone(job);
        } finally {
            current = null;
            busy.set(0);
        }
        Throwable f = job.failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new RuntimeException(f);
        return true;
    }

    /**
     * Waits for chunks other threads claimed: spins first (a chunk takes microseconds), then parks
     * until the last one unparks it: on a machine with more runnable threads than cores, the
     * thread running that chunk may need this core.
     */
    private static void awaitDone(Job job) {
        long start = System.nanoTime();
        while (job.done.get() < job.chunks) {
            if (System.nanoTime() - start < CALLER_SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                job.callerParked = true;
                if (job.done.get() < job.chunks) LockSupport.parkNanos(job, 100_000);
            }
        }
    }

    /** A worker's loop: run chunks of whatever loop is current; leave after SPIN_NANOS without one. */
    private void spin() {
        long idleSince = System.nanoTime();
        Job seen = null;   // the last loop this worker took a seat in, or found full
        for (int polls = 0; ; polls++) {
            Job job = current;
            if (job != null && job != seen && job.unclaimed()) {
                seen = job;
                if (job.seats.getAndDecrement() > 0 && job.work()) idleSince = System.nanoTime();
                continue;
            }
            Thread.onSpinWait();
            // leave early when other pool work waits (a nested loop's forks): this worker is theirs
            if ((polls & 15) == 0 && (System.nanoTime() - idleSince > SPIN_NANOS || pool.hasQueuedSubmissions()
                    || pool.getQueuedTaskCount() > 0)) {
                awake.decrementAndGet();
                Job late = current;   // published while this worker was leaving: stay if there is room
                int a = awake.get();
                if (late == null || !late.unclaimed() || a >= helpers || !awake.compareAndSet(a, a + 1)) return;
                idleSince = System.nanoTime();
            }
        }
    }
}
