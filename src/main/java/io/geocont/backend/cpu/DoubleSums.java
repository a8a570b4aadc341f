package io.geocont.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums and dot products of float arrays accumulated in double, vectorized: each float is widened
 * to double (so every product is exact) and added into one of 4 x (lanes) running sums, which are
 * combined in index order at the end. The order is fixed by the length alone, so a result is the
 * same on every call and every thread count; a single scalar chain was 8-16x slower (one add per
 * 4-cycle latency) and was most of the training loop's bookkeeping time.
 */
final class DoubleSums {
    private DoubleSums() { }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as D, so one load widens into one double vector. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length(), STEP = 4 * L;

    private static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(F, x, i).convertShape(VectorOperators.F2D, D, 0);
    }

    /** sum_i a[offA + i] * b[offB + i], i in [0, n). */
    static double dot(float[] a, int offA, float[] b, int offB, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - n % STEP; i < bound; i += STEP) {
            s0 = widen(a, offA + i).fma(widen(b, offB + i), s0);
            s1 = widen(a, offA + i + L).fma(widen(b, offB + i + L), s1);
            s2 = widen(a, offA + i + 2 * L).fma(widen(b, offB + i + 2 * L), s2);
            s3 = widen(a, offA + i + 3 * L).fma(widen(b, offB + i + 3 * L), s3);
        }
        double tail = 0;
        for (; i < n; i++) tail += (double) a[offA + i] * b[offB + i];
        return combine(s0, s1, s2, s3) + tail;
    }

    /** sum_i x[i], i in [from, to). */
    static double sum(float[] x, int from, int to) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int n = to - from, i = 0;
        for (int bound = n - n % STEP; i < bound; i += STEP) {
            s0 = s0.add(widen(x, from + i));
            s1 = s1.add(widen(x, from + i + L));
            s2 = s2.add(widen(x, from + i + 2 * L));
            s3 = s3.add(widen(x, from + i + 3 * L));
        }
        double tail = 0;
        for (; i < n; i++) tail += x[from + i];
        return combine(s0, s1, s2, s3) + tail;
    }

    /** The lanes of s0..s3 added in a fixed order (reduceLanes leaves its order unspecified). */
    private static double combine(DoubleVector s0, DoubleVector s1, DoubleVector s2, DoubleVector s3) {
        double[] lanes = s0.add(s1).add(s2.add(s3)).toArray();
        double s = 0;
        for (double v : lanes) s += v;
        return s;
    }
}
