package io.geocont.linalg;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Work beside the caller's chain of dependent ops: a training step's weight-gradient GEMMs,
 * which nothing in the backward pass reads, run on one worker of {@link Parallel}'s pool while
 * the caller goes on with the data gradients. The caller runs whatever the worker has not taken
 * when it {@link #await}s, so no task waits for a worker to wake (on the 2-core VM a parked
 * worker took 0.1-1.4 ms to start). With one thread allowed, tasks run at submit.
 *
 * <p>Tasks must be independent of each other and of what the caller does until {@code await}
 * (distinct outputs, inputs nobody writes meanwhile); each runs on one thread, so which thread
 * runs it never changes what it computes. A task's exception is rethrown by {@code await},
 * after every other task has run.
 */
public final class Lane {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Runs {@code task} now on this thread when one thread is allowed, else queues it for the lane's worker. */
    public void submit(Runnable task) {
        if (Parallel.threads() < 2) {
            run(task);
            return;
        }
        pending.incrementAndGet();
        queue.add(task);
        if (draining.compareAndSet(false, true)) {
            ForkJoinPool pool = ForkJoinTask.inForkJoinPool() ? ForkJoinTask.getPool() : Parallel.ownPool();
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException shutDown) {   // setThreads replaced the pool: await runs the tasks
                draining.set(false);
            }
        }
    }

    /** Whether a submitted task has not finished yet (its worker holds a core). */
    public boolean busy() { return pending.get() > 0; }

    /** Waits until every submitted task has run, running the ones still queued; rethrows the first failure. */
    public void await() {
        while (pending.get() > 0) {
            Runnable r = queue.poll();
            if (r != null) runQueued(r);
            else Thread.onSpinWait();   // a task on the worker: microseconds to a few hundred
        }
        Throwable f = failure.getAndSet(null);
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new RuntimeException(f);
    }

    /** Runs a task, keeping its exception for {@link #await}. */
    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Runs a queued task and counts it done. */
    private void runQueued(Runnable task) {
        run(task);
        pending.decrementAndGet();
    }

    /** The worker: runs queued tasks, stays for the crew's spin time after the last, then leaves. */
    private void drain() {
        long idleSince = System.nanoTime();
        for (;;) {
            Runnable r = queue.poll();
            if (r != null) {
                runQueued(r);
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince < Crew.SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                draining.set(false);
                // a task queued after the poll above and before the flag dropped: take it back
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) return;
                idleSince = System.nanoTime();
            }
        }
    }
}
