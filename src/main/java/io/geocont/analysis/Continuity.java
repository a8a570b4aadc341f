package io.geocont.analysis;

import java.util.List;

/**
 * The continuity metrics of PAPER.md section 3 on a stack of layers (layer l and l+1 are
 * "adjacent"). Every cosine is in absolute value. Public API: another tool calls these directly.
 *
 * <p>SPEC (implemented by the analysis work; signatures are fixed so callers can compile):
 */
public final class Continuity {
    private Continuity() { }

    /** Which singular vectors: V = input space (right), U = output space (left). */
    public enum Side { V, U }

    /** How s^2-weighted continuity weighs direction i. */
    public enum S2Variant {
        /** w_i = s_i(l)^2 / ||W_l||_F^2, |cos| (the default). */
        LOWER_LAYER,
        /** w_i = average of the weights of layer l and l+1, |cos|. */
        BOTH_LAYERS,
        /** w_i as LOWER_LAYER, squared cosines. */
        SQUARED_COS
    }

    /** E|cos| of two independent random unit vectors in R^d: Gamma(d/2)/(sqrt(pi) Gamma((d+1)/2)). */
    public static double randomBaseline(int d) { throw new UnsupportedOperationException(); }

    /** Standard deviation of |cos| for independent random unit vectors in R^d (sqrt(1/d - baseline^2)). */
    public static double randomBaselineStd(int d) { throw new UnsupportedOperationException(); }

    /** Per-pair |<x_i(l), x_i(l+1)>| for the i-th singular vector (0 = leading); L-1 values. */
    public static double[] pairs(List<SvdResult> stack, Side side, int i) { throw new UnsupportedOperationException(); }

    /** Per-pair mean over i < k of |<x_i(l), x_i(l+1)>|. */
    public static double[] topK(List<SvdResult> stack, Side side, int k) { throw new UnsupportedOperationException(); }

    /** Per-pair subspace overlap ||X_k(l)^T X_k(l+1)||_F^2 / k. */
    public static double[] subspaceOverlap(List<SvdResult> stack, Side side, int k) { throw new UnsupportedOperationException(); }

    /** Per-pair s^2-weighted continuity over the directions the results hold. */
    public static double[] s2Weighted(List<SvdResult> stack, Side side, S2Variant variant) { throw new UnsupportedOperationException(); }

    /** exp(entropy of s_i^2 / sum s_j^2); needs a complete result. */
    public static double effectiveRank(SvdResult r) { throw new UnsupportedOperationException(); }

    /** Leading vectors with signs flipped so <x(l), x(l-1)> >= 0 going up from layer 0 (for plots). */
    public static double[][] signAlignedTrajectory(List<SvdResult> stack, Side side) { throw new UnsupportedOperationException(); }

    /** Per layer arccos|<v1(now), v1(ref)>| in degrees. */
    public static double[] rotationDriftDegrees(List<SvdResult> now, List<SvdResult> ref, Side side) { throw new UnsupportedOperationException(); }

    /** Per-pair cosine (signed, then absolute) of flattened adjacent matrices (gradient coherence, second definition). */
    public static double[] flattenedAbsCos(List<Matrix> stack) { throw new UnsupportedOperationException(); }

    /** Arithmetic mean (NaN for an empty array). */
    public static double mean(double[] xs) { throw new UnsupportedOperationException(); }
}
