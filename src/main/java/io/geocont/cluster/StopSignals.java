package io.geocont.cluster;

import io.geocont.train.StopFlag;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * While open, SIGTERM and SIGUSR1 (what Slurm sends at preemption and, with
 * {@code --signal=B:USR1@T}, before the time limit; what Kubernetes sends when it evicts a pod)
 * raise a {@link StopFlag} instead of ending the JVM, so the run in progress can finish its step
 * and write its checkpoint. Closing puts the previous handlers back.
 */
public final class StopSignals implements AutoCloseable {
    /**
     * Exit status of a task that stopped on a signal with its checkpoint written: EX_TEMPFAIL of
     * sysexits.h, "try again". Slurm requeues it with {@code RequeueExit=75} in slurm.conf (our job
     * script also requeues itself on USR1); a Kubernetes podFailurePolicy can ignore it so the pod
     * is restarted.
     */
    public static final int EXIT_STOPPED = 75;

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignals() { }

    /** Installs the handlers; a signal this JVM may not handle (e.g. under -Xrs) is left alone. */
    public static StopSignals install(StopFlag flag) {
        StopSignals s = new StopSignals();
        for (String name : new String[]{"TERM", "USR1"}) {
            try {
                Signal sig = new Signal(name);
                s.previous.put(sig, Signal.handle(sig, x -> flag.request("SIG" + x.getName())));
            } catch (IllegalArgumentException e) {
                // this JVM reserves the signal; keep its default behaviour
            }
        }
        return s;
    }

    @Override public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
