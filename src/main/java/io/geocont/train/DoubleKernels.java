package io.geocont.train;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The two float64 loops the per-epoch SVD work spends its time in, on the Vector API. */
final class DoubleKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private DoubleKernels() { }

    /** sum_i a[ao + i] * b[bo + i] for i < n. */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        int i = 0;
        double s = 0;
        if (n >= 2 * S.length()) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = DoubleVector.zero(S);
            int step = 2 * S.length(), bound = n - n % step;
            for (; i < bound; i += step) {
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, ao + i + S.length()).fma(DoubleVector.fromArray(S, b, bo + i + S.length()), acc1);
            }
            s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** y[yo + i] += alpha * x[xo + i] for i < n. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        int i = 0;
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += S.length())
            DoubleVector.fromArray(S, x, xo + i).fma(va, DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }
}
