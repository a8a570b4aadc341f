package io.geocont.linalg;

/**
 * Knobs of the exact solver.
 *
 * @param maxSweeps at most this many Jacobi sweeps, then {@link SvdNotConvergedException}
 * @param tolerance a pair is rotated while |cos| of its two columns exceeds this; values
 *                  &lt;= 0 mean the default {@code 4 * eps * n} for columns of length n
 */
public record ExactOptions(int maxSweeps, double tolerance) {
    public static final ExactOptions DEFAULTS = new ExactOptions(60, 0);

    public ExactOptions {
        if (maxSweeps < 1) throw new IllegalArgumentException("maxSweeps must be >= 1, got " + maxSweeps);
        if (!(tolerance < 1) || Double.isNaN(tolerance))
            throw new IllegalArgumentException("tolerance must be < 1, got " + tolerance);
    }
}
