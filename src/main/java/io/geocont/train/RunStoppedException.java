package io.geocont.train;

/**
 * A run stopped on request ({@link StopFlag}) between two training steps. Its checkpoint holds the
 * state before step {@code nextStep} (0-based) of epoch {@code epoch}, so running it again resumes
 * exactly there and nothing is trained twice. Not an error: the run is incomplete, not broken.
 * {@code epoch} 0 means it stopped before training began (nothing to save), or that the run
 * counts steps, not epochs (the transformer, {@link #atStep}).
 */
public final class RunStoppedException extends RuntimeException {
    private final String runId;
    private final int epoch, nextStep, steps;

    private RunStoppedException(String message, String runId, int epoch, int nextStep, int steps) {
        super(message);
        this.runId = runId;
        this.epoch = epoch;
        this.nextStep = nextStep;
        this.steps = steps;
    }

    /** Stopped inside a run; its checkpoint was written. */
    public static RunStoppedException inEpoch(String runId, int epoch, int nextStep, int steps, String reason) {
        return new RunStoppedException(runId + " stopped (" + reason + ") in epoch " + epoch + " after " + nextStep + " of "
                + steps + " steps; checkpoint written, run it again to resume there", runId, epoch, nextStep, steps);
    }

    /** A step-counted run (the transformer) stopped before step {@code nextStep} (0-based) of {@code steps}; its checkpoint was written. */
    public static RunStoppedException atStep(String runId, int nextStep, int steps, String reason) {
        return new RunStoppedException(runId + " stopped (" + reason + ") after " + nextStep + " of " + steps
                + " steps; checkpoint written, run it again with resume to continue there", runId, 0, nextStep, steps);
    }

    /** Stopped before a run began: nothing to save. */
    public static RunStoppedException beforeRun(String runId, String reason) {
        return new RunStoppedException(runId + " not started (" + reason + ")", runId, 0, 0, 0);
    }

    public String runId() { return runId; }

    public int epoch() { return epoch; }

    public int nextStep() { return nextStep; }

    public int steps() { return steps; }
}
