package io.geocont.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bias and ReLU (or identity) step of a dense layer's forward on a row-major m x n
 * pre-activation z (offset 0, leading dimension n): z += bias[column], then out = act(z)
 * (+ residual), element by element in float. {@code CpuBackend.biasActForward} runs it row by row;
 * {@link Gemm} runs it on each tile's rows of z as soon as their last k block is written (still in
 * cache), which gives the same values without a second pass over z. Reading each lane's residual
 * before writing its output keeps out aliasing residual safe.
 */
final class BiasRelu {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    final boolean relu;
    final float[] z, bias, res, out;
    final int cols;

    /** bias and res may be null; out must not alias z. */
    BiasRelu(boolean relu, float[] z, float[] bias, float[] res, float[] out, int cols) {
        this.relu = relu;
        this.z = z;
        this.bias = bias;
        this.res = res;
        this.out = out;
        this.cols = cols;
    }

    /** Elements [at, at + len) of one row of z (they must not cross a row end). */
    void apply(int at, int len) {
        apply(relu, z, bias, at % cols, res, out, at, len);
    }

    /** z[at..at+len) += bias[col..]; out[at..] = act(z) (+ res[at..]); bias, res may be null. */
    static void apply(boolean relu, float[] z, float[] bias, int col, float[] res, float[] out, int at, int len) {
        int j = 0;
        for (int bound = F.loopBound(len); j < bound; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, z, at + j);
            if (bias != null) {
                v = v.add(FloatVector.fromArray(F, bias, col + j));
                v.intoArray(z, at + j);
            }
            if (relu) v = v.max(0f);
            if (res != null) v = v.add(FloatVector.fromArray(F, res, at + j));
            v.intoArray(out, at + j);
        }
        for (; j < len; j++) {
            float v = z[at + j];
            if (bias != null) z[at + j] = v = v + bias[col + j];
            if (relu) v = Math.max(v, 0f);
            out[at + j] = res != null ? v + res[at + j] : v;
        }
    }
}
