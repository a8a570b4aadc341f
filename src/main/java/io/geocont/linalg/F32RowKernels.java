package io.geocont.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row kernels over float32 rows in a heap array: four dot products against one x (each chunk of
 * x loaded once for four rows; float32 FMA lanes flushed into float64 every 64 vectors) and the
 * four-row update z += sum_r w_r a_r (z loaded and stored once for four rows). Public so the
 * stored-width readers can run them on rows they decode into a small buffer.
 */
public final class F32RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length();
    private static final int RUN = 64 * W;

    private F32RowKernels() { }

    /** Lane sum in a fixed order (reduceLanes leaves the order unspecified). */
    static double sumLanes(FloatVector v) {
        double s = 0;
        for (int i = 0; i < W; i++) s += v.lane(i);
        return s;
    }

    /** out[r] = a[off_r .. off_r + n) . x for the rows at offsets off + r * stride, r < count. */
    public static void dots(float[] a, int off, int stride, int count, int n, float[] x, double[] out) {
        int o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0, bound = S.loopBound(n);
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += W) {
                FloatVector xv = FloatVector.fromArray(S, x, j);
                a0 = FloatVector.fromArray(S, a, o0 + j).fma(xv, a0);
                a1 = FloatVector.fromArray(S, a, o1 + j).fma(xv, a1);
                a2 = FloatVector.fromArray(S, a, o2 + j).fma(xv, a2);
                a3 = FloatVector.fromArray(S, a, o3 + j).fma(xv, a3);
            }
            s0 += sumLanes(a0); s1 += sumLanes(a1); s2 += sumLanes(a2); s3 += sumLanes(a3);
        }
        for (; j < n; j++) {
            double xj = x[j];
            s0 += a[o0 + j] * xj; s1 += a[o1 + j] * xj; s2 += a[o2 + j] * xj; s3 += a[o3 + j] * xj;
        }
        out[0] = s0;
        if (count > 1) out[1] = s1;
        if (count > 2) out[2] = s2;
        if (count > 3) out[3] = s3;
    }

    /** z[j] += sum_r w[r] a[off_r + j] for the rows at offsets off + r * stride, r < count. */
    public static void accumulate(float[] a, int off, int stride, int count, int n, float[] w, float[] z) {
        float w0 = w[0], w1 = count > 1 ? w[1] : 0, w2 = count > 2 ? w[2] : 0, w3 = count > 3 ? w[3] : 0;
        int o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        FloatVector b0 = FloatVector.broadcast(S, w0), b1 = FloatVector.broadcast(S, w1),
                b2 = FloatVector.broadcast(S, w2), b3 = FloatVector.broadcast(S, w3);
        int j = 0, bound = S.loopBound(n);
        for (; j < bound; j += W) {
            FloatVector acc = FloatVector.fromArray(S, z, j);
            acc = FloatVector.fromArray(S, a, o0 + j).fma(b0, acc);
            acc = FloatVector.fromArray(S, a, o1 + j).fma(b1, acc);
            acc = FloatVector.fromArray(S, a, o2 + j).fma(b2, acc);
            acc = FloatVector.fromArray(S, a, o3 + j).fma(b3, acc);
            acc.intoArray(z, j);
        }
        for (; j < n; j++) z[j] += w0 * a[o0 + j] + w1 * a[o1 + j] + w2 * a[o2 + j] + w3 * a[o3 + j];
    }
}
