package io.geocont.linalg;

/**
 * A dense m x n matrix A that an iterative SVD reads only through products: one call applies
 * A and then A^T to a block of vectors, reading A once (each row is used twice while it is in
 * cache). Host float32 matrices, checkpoint tensors in their stored width (bf16, f16) and device
 * matrices implement it, so one top-k algorithm serves them all.
 *
 * <p>Contract: the result must not depend on how many threads run the call (split rows into
 * fixed blocks and add the partial sums in block order), so answers are bitwise reproducible.
 */
public interface GramOperator {
    int rows();

    int cols();

    /**
     * For every vector x[c] (length cols): y[c] = A x[c] (length rows) and z[c] = A^T y[c]
     * (length cols). x is float32 because the product runs at the matrix's precision; y and z
     * come back in float64.
     */
    void applyGram(float[][] x, double[][] y, double[][] z);

    /** ||A||_F^2 in float64. */
    double frobeniusSq();

    /**
     * Where the first NaN or infinity is ("row 3, column 7"), or null when every entry is finite.
     * Called only after a product came back non-finite, to say what and where.
     */
    default String findNonFinite() { return null; }

    /**
     * The entries as a float32 host matrix, for the strategies that need them (the exact SVD);
     * a copy for operators that hold their matrix in another width or place.
     */
    default Matrix toMatrix() {
        throw new UnsupportedOperationException(describe() + " cannot be copied to a host float32 matrix");
    }

    /** What this is, for messages ("bf16 tensor model.layers.3.mlp.up_proj.weight 14336x4096"). */
    String describe();
}
