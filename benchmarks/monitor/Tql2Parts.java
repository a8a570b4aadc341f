package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.util.SplitMix64;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * tql2 of the Gram-eigen SVD taken apart, on the twelve 128 x 128 identity-plus-noise matrices of
 * GramSvdTiming: the whole of it; its QL recurrence alone (no rotation applied); and its recorded
 * rotations replayed without the recurrence, four ways: two per pass (EigenKernels.rotateRowPair,
 * what tql2 does), one row carried in registers through each sweep (one load and one store per
 * element and rotation), plain scalar Java left to C2's auto-vectorizer, and scaled ("fast")
 * Givens rotations with two multiply-adds per element. Thread CPU per matrix, best of the
 * repetitions. Package io.geocont.linalg.svd to reach tql2 and the kernels. From the repository
 * root, after `mvn -o -B test-compile`:
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin; CP=target/classes:target/test-classes
 *   $J/javac --add-modules jdk.incubator.vector -cp $CP -d /tmp/t2p benchmarks/monitor/Tql2Parts.java
 *   $J/java --add-modules jdk.incubator.vector -cp /tmp/t2p:$CP io.geocont.linalg.svd.Tql2Parts 100
 */
public class Tql2Parts {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    private static double cpuMs() { return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6; }

    /** The rotations of one tql2 run, in order: rotation t acts on rows (row[t], row[t] + 1). */
    private static final class Rotations {
        int count;
        int[] row = new int[1 << 16];
        double[] c = new double[1 << 16], s = new double[1 << 16];

        void add(int i, double ci, double si) { row[count] = i; c[count] = ci; s[count] = si; count++; }
    }

    /** tql2's recurrence (GramEigenSvd.tql2 without the eigenvector rows), recording the rotations when rec != null. */
    static void recurrence(double[] d, double[] e, Rotations rec) {
        int n = d.length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0, eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n && Math.abs(e[m]) > eps * tst1) m++;
            if (m > l) {
                do {
                    double g = d[l], p = (d[l + 1] - g) / (2 * e[l]), r = Math.sqrt(p * p + 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1], h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2; c2 = c; s2 = s;
                        g = c * e[i]; h = c * p;
                        r = Math.sqrt(p * p + e[i] * e[i]);
                        e[i + 1] = s * r; s = e[i] / r; c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (rec != null) rec.add(i, c, s);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p; d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /** As tql2 applies them: consecutive rotations of a sweep two per pass. */
    static void replayPairs(double[][] z, Rotations r, int n) {
        for (int t = 0; t < r.count; ) {
            if (t + 1 < r.count && r.row[t + 1] == r.row[t] - 1) {
                int i = r.row[t + 1];
                EigenKernels.rotateRowPair(z[i], z[i + 1], z[i + 2], r.c[t], r.s[t], r.c[t + 1], r.s[t + 1], n);
                t += 2;
            } else {
                EigenKernels.rotateRows(z[r.row[t]], z[r.row[t] + 1], r.c[t], r.s[t], n);
                t++;
            }
        }
    }

    /** A sweep at a time, 4 vectors of columns at a time, the running row in registers (n a multiple of 4W). */
    static void replayCarried(double[][] z, Rotations r, int n) {
        for (int t = 0; t < r.count; ) {
            int t1 = t + 1;
            while (t1 < r.count && r.row[t1] == r.row[t1 - 1] - 1) t1++;
            double[] top = z[r.row[t] + 1], bottom = z[r.row[t1 - 1]];
            for (int k = 0; k < n; k += 4 * W) {
                DoubleVector h0 = DoubleVector.fromArray(S, top, k), h1 = DoubleVector.fromArray(S, top, k + W);
                DoubleVector h2 = DoubleVector.fromArray(S, top, k + 2 * W), h3 = DoubleVector.fromArray(S, top, k + 3 * W);
                for (int q = t; q < t1; q++) {
                    double[] zi = z[r.row[q]], zo = z[r.row[q] + 1];
                    DoubleVector c = DoubleVector.broadcast(S, r.c[q]), s = DoubleVector.broadcast(S, r.s[q]), ns = DoubleVector.broadcast(S, -r.s[q]);
                    DoubleVector a0 = DoubleVector.fromArray(S, zi, k), a1 = DoubleVector.fromArray(S, zi, k + W);
                    DoubleVector a2 = DoubleVector.fromArray(S, zi, k + 2 * W), a3 = DoubleVector.fromArray(S, zi, k + 3 * W);
                    a0.fma(s, h0.mul(c)).intoArray(zo, k);
                    a1.fma(s, h1.mul(c)).intoArray(zo, k + W);
                    a2.fma(s, h2.mul(c)).intoArray(zo, k + 2 * W);
                    a3.fma(s, h3.mul(c)).intoArray(zo, k + 3 * W);
                    h0 = a0.fma(c, h0.mul(ns)); h1 = a1.fma(c, h1.mul(ns));
                    h2 = a2.fma(c, h2.mul(ns)); h3 = a3.fma(c, h3.mul(ns));
                }
                h0.intoArray(bottom, k); h1.intoArray(bottom, k + W); h2.intoArray(bottom, k + 2 * W); h3.intoArray(bottom, k + 3 * W);
            }
            t = t1;
        }
    }

    /** rotateRowPair's arithmetic as plain scalar loops (C2 vectorizes them as it can). */
    static void replayScalar(double[][] z, Rotations r, int n) {
        for (int t = 0; t < r.count; t++) {
            double[] a = z[r.row[t]], b = z[r.row[t] + 1];
            double c = r.c[t], s = r.s[t];
            for (int k = 0; k < n; k++) {
                double x = a[k], y = b[k];
                b[k] = Math.fma(s, x, c * y);
                a[k] = Math.fma(c, x, -s * y);
            }
        }
    }

    /**
     * Scaled rotations: row i is scale[i] times the stored row, and each rotation costs two
     * multiply-adds per element (the factor c or s goes into the two scales; the larger of |c|,
     * |s| picks the form, so the two multipliers' product stays at most 1).
     */
    static void replayScaled(double[][] z, double[] scale, Rotations r, int n) {
        for (int t = 0; t < r.count; t++) {
            int i = r.row[t];
            double c = r.c[t], s = r.s[t], di = scale[i], dj = scale[i + 1];
            double[] a = z[i], b = z[i + 1];
            boolean cForm = Math.abs(c) >= Math.abs(s);
            double alpha = cForm ? -(s * dj) / (c * di) : -(c * di) / (s * dj), beta = cForm ? (s * di) / (c * dj) : (c * dj) / (s * di);
            DoubleVector av = DoubleVector.broadcast(S, alpha), bv = DoubleVector.broadcast(S, beta);
            for (int k = 0; k < n; k += W) {   // n a multiple of W
                DoubleVector x = DoubleVector.fromArray(S, a, k), y = DoubleVector.fromArray(S, b, k);
                if (cForm) { y.fma(av, x).intoArray(a, k); x.fma(bv, y).intoArray(b, k); }
                else { x.fma(av, y).intoArray(a, k); y.fma(bv, x).intoArray(b, k); }
            }
            scale[i] = cForm ? c * di : -s * dj;
            scale[i + 1] = cForm ? c * dj : s * di;
        }
    }

    private static double[][] copy(double[][] q) {
        double[][] z = new double[q.length][];
        for (int i = 0; i < q.length; i++) z[i] = q[i].clone();
        return z;
    }

    public static void main(String[] args) {
        int n = 128, mats = 12, reps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        SplitMix64 rng = new SplitMix64(1);
        double[][] dd = new double[mats][], ee = new double[mats][];
        double[][][] qq = new double[mats][][];
        Rotations[] rots = new Rotations[mats];
        for (int t = 0; t < mats; t++) {
            float[] f = new float[n * n];
            for (int i = 0; i < f.length; i++) f[i] = (float) (rng.nextGaussian() / Math.sqrt(n));
            for (int i = 0; i < n; i++) f[i * n + i] += 1f;
            double[][] x = GramEigenSvd.rowsAsDouble(new Matrix(n, n, f)), z = new double[n][n];
            EigenKernels.gramUpper(x, n, n, z);
            for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) z[i][j] = z[j][i];
            dd[t] = new double[n];
            ee[t] = new double[n];
            HouseholderTridiagonal.reduce(z, n, dd[t], ee[t]);
            qq[t] = z;
            rots[t] = new Rotations();
            recurrence(dd[t].clone(), ee[t].clone(), rots[t]);
        }
        String[] names = {"tql2", "recurrence alone", "rotations, pairs (tql2's)", "rotations, row carried", "rotations, scalar", "rotations, scaled"};
        double[] best = new double[names.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        double minScale = 1;
        for (int rep = 0; rep < reps; rep++) {
            double[] sum = new double[names.length];
            for (int t = 0; t < mats; t++) {
                for (int v = 0; v < names.length; v++) {
                    double[][] z = copy(qq[t]);
                    double[] d = dd[t].clone(), e = ee[t].clone(), scale = new double[n];
                    java.util.Arrays.fill(scale, 1);
                    double t0 = cpuMs();
                    switch (v) {
                        case 0 -> GramEigenSvd.tql2(z, d, e);
                        case 1 -> recurrence(d, e, null);
                        case 2 -> replayPairs(z, rots[t], n);
                        case 3 -> replayCarried(z, rots[t], n);
                        case 4 -> replayScalar(z, rots[t], n);
                        default -> replayScaled(z, scale, rots[t], n);
                    }
                    sum[v] += cpuMs() - t0;
                    if (v == 5) for (double x : scale) minScale = Math.min(minScale, Math.abs(x));
                }
            }
            for (int v = 0; v < names.length; v++) best[v] = Math.min(best[v], sum[v] / mats);
        }
        System.out.printf("%d rotations per tql2 (mean), ms per 128 x 128 matrix, best of %d:%n", java.util.Arrays.stream(rots).mapToInt(r -> r.count).sum() / mats, reps);
        for (int v = 0; v < names.length; v++) System.out.printf("  %-28s %.3f%n", names[v], best[v]);
        System.out.printf("  smallest row scale left by the scaled rotations: %.1e (they would need rescaling)%n", minScale);
    }
}
