package io.geocont.linalg.svd;

import io.geocont.linalg.Lanes;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 vector kernels the SVDs stream over contiguous columns: dot, axpy, plane rotation.
 * Each uses the widest SIMD the CPU offers and a scalar tail; the summation order depends only
 * on the length, so results are the same on every run.
 */
final class VecOps {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    private VecOps() { }

    /** sum a[ao+i] * b[bo+i] for i < n. */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        int i = 0;
        double s = 0;
        if (n >= 4 * W) { // four independent FMA chains hide the FMA latency
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = DoubleVector.zero(S);
            DoubleVector acc2 = DoubleVector.zero(S), acc3 = DoubleVector.zero(S);
            int bound = n - 4 * W;
            for (; i <= bound; i += 4 * W) {
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, ao + i + W).fma(DoubleVector.fromArray(S, b, bo + i + W), acc1);
                acc2 = DoubleVector.fromArray(S, a, ao + i + 2 * W).fma(DoubleVector.fromArray(S, b, bo + i + 2 * W), acc2);
                acc3 = DoubleVector.fromArray(S, a, ao + i + 3 * W).fma(DoubleVector.fromArray(S, b, bo + i + 3 * W), acc3);
            }
            for (; i <= n - W; i += W)
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
            s = Lanes.sum(acc0.add(acc1).add(acc2.add(acc3)), new double[W]);
        } else if (n >= 2 * W) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = DoubleVector.zero(S);
            int bound = n - 2 * W;
            for (; i <= bound; i += 2 * W) {
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, ao + i + W).fma(DoubleVector.fromArray(S, b, bo + i + W), acc1);
            }
            s = Lanes.sum(acc0.add(acc1), new double[W]);
        }
        for (; i < n; i++) s = Math.fma(a[ao + i], b[bo + i], s);
        return s;
    }

    /** y[yo+i] += alpha * x[xo+i] for i < n. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            DoubleVector av = DoubleVector.broadcast(S, alpha);
            for (; i < bound; i += W)
                DoubleVector.fromArray(S, x, xo + i).fma(av, DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }

    /** x[i] *= alpha. */
    static void scale(double alpha, double[] x, int xo, int n) {
        for (int i = 0; i < n; i++) x[xo + i] *= alpha;
    }

    /** (p, q) <- (c p - s q, s p + c q) elementwise over n entries. */
    static void rotate(double[] a, int po, int qo, int n, double c, double s) {
        int i = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            DoubleVector cv = DoubleVector.broadcast(S, c), sv = DoubleVector.broadcast(S, s), nsv = sv.neg();
            for (; i < bound; i += W) {
                DoubleVector p = DoubleVector.fromArray(S, a, po + i);
                DoubleVector q = DoubleVector.fromArray(S, a, qo + i);
                q.fma(nsv, p.mul(cv)).intoArray(a, po + i);
                p.fma(sv, q.mul(cv)).intoArray(a, qo + i);
            }
        }
        for (; i < n; i++) {
            double p = a[po + i], q = a[qo + i];
            a[po + i] = c * p - s * q;
            a[qo + i] = s * p + c * q;
        }
    }
}
