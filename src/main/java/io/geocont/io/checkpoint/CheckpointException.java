package io.geocont.io.checkpoint;

import java.io.IOException;

/**
 * A checkpoint that cannot be read as promised: truncated, inconsistent, an unknown dtype, a
 * shape that does not match the config, a non-finite weight. The message names the file, the
 * tensor or offset, and what was expected. Checked (an {@link IOException}) so the CLI maps it
 * to "bad input" (exit 2) and callers cannot forget it.
 */
public final class CheckpointException extends IOException {
    public CheckpointException(String message) { super(message); }

    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
