package io.geocont.analysis;

/**
 * The leading k singular triplets of an m x n matrix W = U S V^T, s[0] >= s[1] >= ... .
 * u[i] (length m) lives in output space, v[i] (length n) in input space, both unit vectors
 * with arbitrary sign. {@code frobeniusSq} is ||W||_F^2 of the whole matrix, so s^2 weights are
 * right even when only the top k were computed; {@code complete} is true when s holds every
 * singular value (min(m, n) of them), which effective rank needs.
 */
public record SvdResult(int rows, int cols, double[] s, double[][] u, double[][] v, double frobeniusSq, boolean complete) {
    public SvdResult {
        if (u.length != s.length || v.length != s.length)
            throw new IllegalArgumentException("svd result: " + s.length + " values but " + u.length + " u and " + v.length + " v vectors");
    }
    public int k() { return s.length; }
}
