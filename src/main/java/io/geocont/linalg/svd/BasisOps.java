package io.geocont.linalg.svd;

import io.geocont.linalg.Lanes;
import io.geocont.linalg.Parallel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 kernels of the Lanczos basis work, blocked so each vector streams through once
 * for several products (the basis of n-long vectors no longer fits the L2 cache beside the
 * matrix, so traffic, not flops, is what these cost): four dot products of two pairs in one
 * pass, the dots of one vector with up to four basis vectors at once, and x minus a combination
 * of basis vectors four at a time (x loaded and stored once per four instead of once per
 * vector). Summation orders depend only on the lengths, so results repeat run to run.
 *
 * <p>Work on long vectors ({@link #worthSplitting}) runs on the pool, split so that
 * every dot product and every entry of a result is still computed by one thread in the one-thread
 * order: dots by basis vector (groups of four as above), combinations by ranges of entries whose
 * bounds are multiples of the vector width (the same FMA chain per entry, vector or scalar). So
 * the bits do not depend on the threads.
 */
final class BasisOps {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();
    /**
     * Basis work is split over the threads from vectors this long (16 KB) and this many entries
     * (vector length times basis vectors): a crew hand-off costs about a microsecond, a 24-vector
     * operation on 4096-long vectors 20-60 us. Shorter vectors stay on one thread: MiniLM's
     * 1536-long ones (a basis that fits one core's L2) ran no faster split, often slower.
     */
    static final int PARALLEL_MIN_LENGTH = 2048;
    static final int PARALLEL_MIN_WORK = 1 << 15;

    /** Whether work over {@code count} basis vectors of length {@code n} is worth a hand-off. */
    static boolean worthSplitting(int count, int n) {
        return n >= PARALLEL_MIN_LENGTH && (long) count * n >= PARALLEL_MIN_WORK && Parallel.threads() > 1;
    }

    private BasisOps() { }

    /**
     * out = {vi.zp, vp.zi, zi.zp, vi.vp}: the new entries of H = V^T Z (both triangles), of
     * G = Z^T Z and of M = V^T V for basis vector i against the newest vector p, in one read of
     * the four vectors.
     */
    static void fourDots(double[] vi, double[] zi, double[] vp, double[] zp, int n, double[] out) {
        DoubleVector a = DoubleVector.zero(S), b = a, c = a, d = a;
        int k = 0, bound = S.loopBound(n);
        for (; k < bound; k += W) {
            DoubleVector x = DoubleVector.fromArray(S, vi, k), y = DoubleVector.fromArray(S, zi, k);
            DoubleVector p = DoubleVector.fromArray(S, vp, k), q = DoubleVector.fromArray(S, zp, k);
            a = x.fma(q, a); b = p.fma(y, b); c = y.fma(q, c); d = x.fma(p, d);
        }
        double[] t = new double[W];
        double sa = Lanes.sum(a, t), sb = Lanes.sum(b, t), sc = Lanes.sum(c, t), sd = Lanes.sum(d, t);
        for (; k < n; k++) {
            sa = Math.fma(vi[k], zp[k], sa); sb = Math.fma(vp[k], zi[k], sb);
            sc = Math.fma(zi[k], zp[k], sc); sd = Math.fma(vi[k], vp[k], sd);
        }
        out[0] = sa; out[1] = sb; out[2] = sc; out[3] = sd;
    }

    /** out[i] = basis[i] . x for i < count, four basis vectors per read of x. */
    static void dots(double[][] basis, int count, double[] x, int n, double[] out) {
        int groups = count / 4, units = groups + count % 4; // a unit: four vectors, or one of the last count % 4
        if (!worthSplitting(count, n) || units < 2) {
            dotUnits(basis, count, x, n, out, 0, units);
            return;
        }
        Parallel.forRange(units, 1, Integer.MAX_VALUE, (from, to) -> dotUnits(basis, count, x, n, out, from, to));
    }

    private static void dotUnits(double[][] basis, int count, double[] x, int n, double[] out, int from, int to) {
        double[] t = new double[W];
        int groups = count / 4;
        for (int u = from; u < to; u++) {
            if (u >= groups) {
                int i = 4 * groups + (u - groups);
                out[i] = VecOps.dot(basis[i], 0, x, 0, n);
                continue;
            }
            int i = 4 * u;
            double[] b0 = basis[i], b1 = basis[i + 1], b2 = basis[i + 2], b3 = basis[i + 3];
            DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            int k = 0, bound = S.loopBound(n);
            for (; k < bound; k += W) {
                DoubleVector xv = DoubleVector.fromArray(S, x, k);
                a0 = DoubleVector.fromArray(S, b0, k).fma(xv, a0);
                a1 = DoubleVector.fromArray(S, b1, k).fma(xv, a1);
                a2 = DoubleVector.fromArray(S, b2, k).fma(xv, a2);
                a3 = DoubleVector.fromArray(S, b3, k).fma(xv, a3);
            }
            double s0 = Lanes.sum(a0, t), s1 = Lanes.sum(a1, t), s2 = Lanes.sum(a2, t), s3 = Lanes.sum(a3, t);
            for (; k < n; k++) {
                double xk = x[k];
                s0 = Math.fma(b0[k], xk, s0); s1 = Math.fma(b1[k], xk, s1); s2 = Math.fma(b2[k], xk, s2); s3 = Math.fma(b3[k], xk, s3);
            }
            out[i] = s0; out[i + 1] = s1; out[i + 2] = s2; out[i + 3] = s3;
        }
    }

    /** x -= sum_i c[i] basis[i] for i < count, four basis vectors per load and store of x. */
    static void subtract(double[] x, double[][] basis, double[] c, int count, int n) {
        int blocks = n / W; // ranges of whole vectors; the last one also takes the n % W tail
        if (!worthSplitting(count, n) || blocks < 2) {
            subtractRange(x, basis, c, count, 0, n);
            return;
        }
        Parallel.forRange(blocks, 1, Integer.MAX_VALUE, (from, to) -> subtractRange(x, basis, c, count, from * W, to == blocks ? n : to * W));
    }

    /** The entries [k0, k1) of {@link #subtract}: each entry's FMA chain over i is the same whatever the range. */
    private static void subtractRange(double[] x, double[][] basis, double[] c, int count, int k0, int k1) {
        int i = 0;
        int bound = k0 + S.loopBound(k1 - k0);
        for (; i + 4 <= count; i += 4) {
            double[] b0 = basis[i], b1 = basis[i + 1], b2 = basis[i + 2], b3 = basis[i + 3];
            DoubleVector c0 = DoubleVector.broadcast(S, -c[i]), c1 = DoubleVector.broadcast(S, -c[i + 1]),
                    c2 = DoubleVector.broadcast(S, -c[i + 2]), c3 = DoubleVector.broadcast(S, -c[i + 3]);
            int k = k0;
            for (; k < bound; k += W) {
                DoubleVector acc = DoubleVector.fromArray(S, x, k);
                acc = DoubleVector.fromArray(S, b0, k).fma(c0, acc);
                acc = DoubleVector.fromArray(S, b1, k).fma(c1, acc);
                acc = DoubleVector.fromArray(S, b2, k).fma(c2, acc);
                acc = DoubleVector.fromArray(S, b3, k).fma(c3, acc);
                acc.intoArray(x, k);
            }
            for (; k < k1; k++) {
                double acc = x[k];
                acc = Math.fma(b0[k], -c[i], acc); acc = Math.fma(b1[k], -c[i + 1], acc);
                acc = Math.fma(b2[k], -c[i + 2], acc); acc = Math.fma(b3[k], -c[i + 3], acc);
                x[k] = acc;
            }
        }
        for (; i < count; i++) VecOps.axpy(-c[i], basis[i], k0, x, k0, k1 - k0);
    }

    /** sum_i w[i] basis[i] for i < count (a Ritz vector), four basis vectors per pass over the result. */
    static double[] combine(double[][] basis, double[] w, int count, int n) {
        double[] out = new double[n];
        double[] neg = new double[count];
        for (int i = 0; i < count; i++) neg[i] = -w[i];
        subtract(out, basis, neg, count, n);
        return out;
    }
}
