package io.geocont.linalg;

/**
 * An SVD iteration hit its limit before its convergence test passed. Carries the best estimate
 * so far (not to be trusted blindly) and how far it was from converging, so a caller can decide
 * to accept it, retry with other knobs, or report the failure.
 */
public final class SvdNotConvergedException extends ArithmeticException {
    private final transient SvdResult estimate;
    private final double achieved;

    public SvdNotConvergedException(String message, SvdResult estimate, double achieved) {
        super(message);
        this.estimate = estimate;
        this.achieved = achieved;
    }

    /** The estimate when the iteration stopped (may be null). */
    public SvdResult estimate() { return estimate; }

    /** The convergence measure reached (largest |cos| for Jacobi, largest residual for top-k). */
    public double achieved() { return achieved; }
}
