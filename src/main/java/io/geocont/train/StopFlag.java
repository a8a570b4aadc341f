package io.geocont.train;

/**
 * A request, usually from a signal handler on another thread, that a run stop at its next step
 * boundary: the step in progress finishes, the run's state is written as a checkpoint, and
 * {@link MlpExperiment#run} throws {@link RunStoppedException}. The first reason given wins.
 */
public final class StopFlag {
    private volatile String reason;

    /** Asks every run watching this flag to stop; {@code why} is reported (e.g. "SIGTERM"). */
    public void request(String why) {
        synchronized (this) {
            if (reason == null) reason = why == null ? "stop requested" : why;
        }
    }

    public boolean requested() { return reason != null; }

    /** Why a stop was requested, or null. */
    public String reason() { return reason; }
}
