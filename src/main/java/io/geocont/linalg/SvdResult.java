package io.geocont.linalg;

/**
 * The leading k singular triplets of an m x n matrix W = U S V^T, s[0] >= s[1] >= ... .
 * u[i] (length m) lives in output space, v[i] (length n) in input space, both unit vectors
 * with arbitrary sign. {@code frobeniusSq} is ||W||_F^2 of the whole matrix, so s^2 weights are
 * right even when only the top k were computed; {@code complete} is true when s holds every
 * singular value (min(m, n) of them), which effective rank needs. {@code converged} is false only
 * when the caller asked for a flagged estimate at the iteration limit. {@code nextS} is the
 * solver's estimate of s_{k+1} (NaN when unknown or complete): with k = 1 it is what tells a
 * tied leading pair.
 */
public record SvdResult(int rows, int cols, double[] s, double[][] u, double[][] v, double frobeniusSq, boolean complete,
                        boolean converged, double nextS) {
    public SvdResult {
        if (u.length != s.length || v.length != s.length)
            throw new IllegalArgumentException("svd result: " + s.length + " values but " + u.length + " u and " + v.length + " v vectors");
    }

    /** A converged result with no estimate of s_{k+1}. */
    public SvdResult(int rows, int cols, double[] s, double[][] u, double[][] v, double frobeniusSq, boolean complete) {
        this(rows, cols, s, u, v, frobeniusSq, complete, true, Double.NaN);
    }

    public int k() { return s.length; }

    /** The leading k triplets of this result (this one when it holds no more); s_{k+1} becomes nextS. */
    public SvdResult leading(int k) {
        if (k < 1 || k > s.length) throw new IllegalArgumentException("leading " + k + " of " + s.length + " triplets");
        if (k == s.length) return this;
        return new SvdResult(rows, cols, java.util.Arrays.copyOf(s, k), java.util.Arrays.copyOf(u, k), java.util.Arrays.copyOf(v, k),
                frobeniusSq, false, converged, s[k]);
    }

    /** s_2 from the triplets when there are two, else the solver's estimate (NaN when unknown). */
    public double s2() {
        if (s.length >= 2) return s[1];
        return complete ? 0 : nextS;
    }

    /**
     * Why v1/u1 of this matrix do not mean anything, or null when they do: s_1 = 0 (a zero matrix),
     * s_1/s_2 within {@code tieTolerance} of 1 (a tied leading pair: identity or orthogonal
     * matrices), non-finite values, or an estimate flagged unconverged.
     */
    public String leadingPairUndefined(double tieTolerance) {
        if (s.length == 0) return "no singular values (empty matrix)";
        double s1 = s[0], s2 = s2();
        if (!Double.isFinite(s1)) return "s1 is not finite";
        if (s1 == 0) return "s1 = 0 (zero matrix)";
        if (!converged) return "the SVD did not converge (flagged estimate)";
        if (Double.isFinite(s2) && s1 / s2 - 1 <= tieTolerance)
            return String.format("s1/s2 = %.6g is within %.0e of 1 (tied leading pair)", s1 / s2, tieTolerance);
        return null;
    }

    /** The tie tolerance outputs use unless told otherwise (see {@link TopKOptions#tieTolerance()}). */
    public static final double DEFAULT_TIE_TOLERANCE = 1e-4;
}
