package io.geocont.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Column sums of a row-major float matrix over a column range, each column summed over the
 * rows in row order in double and rounded to float once, vectorized across columns (so every
 * column sees exactly the scalar loop's additions); and the same sums fused into ReLU's (or the
 * identity's) backward, which produces the summed matrix, so a bias gradient does not read it a
 * second time. The scalar loop was as slow per 128 x 128 backward as the GEMMs' packing.
 */
final class ColumnSums {
    private ColumnSums() { }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as D, so one load widens into one double vector. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();

    /** out[j] (+ out[j] when {@code accumulate}) := sum over rows of x[r][j], for j in [c0, c1). */
    static void sums(float[] x, int rows, int cols, int c0, int c1, float[] out, boolean accumulate) {
        int w = c1 - c0, vec = w - w % L;
        double[] acc = new double[w];
        for (int r = 0; r < rows; r++) {
            int base = r * cols + c0, j = 0;
            for (; j < vec; j += L) add(acc, j, FloatVector.fromArray(F, x, base + j));
            for (; j < w; j++) acc[j] += x[base + j];
        }
        for (int j = 0; j < w; j++) out[c0 + j] = (float) (accumulate ? out[c0 + j] + acc[j] : acc[j]);
    }

    /**
     * Columns [c0, c1): dPre (may alias dOut) = relu'(pre) * dOut (relu'(0) = 0), or dOut itself
     * when {@code relu} is false (the identity); dBias[c0..c1) := the column sums of dPre.
     */
    static void reluBackward(boolean relu, float[] pre, float[] dOut, float[] dPre, float[] dBias, int rows, int cols, int c0, int c1) {
        int w = c1 - c0, vec = w - w % L;
        double[] acc = new double[w];
        FloatVector zero = FloatVector.zero(F);
        for (int r = 0; r < rows; r++) {
            int base = r * cols + c0, j = 0;
            for (; j < vec; j += L) {
                FloatVector g = FloatVector.fromArray(F, dOut, base + j);
                if (relu) g = zero.blend(g, FloatVector.fromArray(F, pre, base + j).compare(VectorOperators.GT, 0f));
                g.intoArray(dPre, base + j);
                add(acc, j, g);
            }
            for (; j < w; j++) {
                float g = !relu || pre[base + j] > 0f ? dOut[base + j] : 0f;
                dPre[base + j] = g;
                acc[j] += g;
            }
        }
        for (int j = 0; j < w; j++) dBias[c0 + j] = (float) acc[j];
    }

    /** acc[j .. j + L) += v widened to double. */
    private static void add(double[] acc, int j, FloatVector v) {
        DoubleVector.fromArray(D, acc, j).add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).intoArray(acc, j);
    }
}
