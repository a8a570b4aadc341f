package io.geocont.analysis;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 streaming kernel of the top-k SVD: for a block of rows of A, y_i = A_i V and the
 * partial sum of A_i^T y_i, with float32 FMAs in short runs flushed into float64 (so rounding
 * error does not grow with the row length or the row count). Four columns of V are handled per
 * pass so each chunk of a row is loaded once for four FMAs.
 */
final class FloatKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int W = S.length();
    private static final int DOT_RUN = 64 * W;  // float terms per lane run before a float64 flush
    private static final int ROW_RUN = 16;      // rows accumulated in float32 before a float64 flush

    private FloatKernels() { }

    /** Lane sum in a fixed order (reduceLanes leaves it unspecified: JIT and interpreter differ). */
    private static double sumLanes(FloatVector v) {
        double s = 0;
        for (int i = 0; i < W; i++) s += v.lane(i);
        return s;
    }

    /** Rows [r0, r1) of row-major A (n columns): fills y[i*kp + c], returns their A^T y as kp x n. */
    static double[][] rowBlock(float[] a, int n, int r0, int r1, float[][] vt, double[] y) {
        int kp = vt.length;
        double[][] z = new double[kp][n];
        float[][] scratch = new float[kp][n];
        float[] yf = new float[kp];
        int pending = 0;
        for (int i = r0; i < r1; i++) {
            int off = i * n;
            int c = 0;
            for (; c + 4 <= kp; c += 4) dot4(a, off, vt[c], vt[c + 1], vt[c + 2], vt[c + 3], n, y, i * kp + c);
            for (; c < kp; c++) y[i * kp + c] = dot1(a, off, vt[c], n);
            for (c = 0; c < kp; c++) yf[c] = (float) y[i * kp + c];
            c = 0;
            for (; c + 4 <= kp; c += 4) axpy4(a, off, yf[c], yf[c + 1], yf[c + 2], yf[c + 3],
                    scratch[c], scratch[c + 1], scratch[c + 2], scratch[c + 3], n);
            for (; c < kp; c++) axpy1(a, off, yf[c], scratch[c], n);
            if (++pending == ROW_RUN || i == r1 - 1) {
                for (c = 0; c < kp; c++) {
                    double[] zc = z[c];
                    float[] sc = scratch[c];
                    for (int j = 0; j < n; j++) { zc[j] += sc[j]; sc[j] = 0; }
                }
                pending = 0;
            }
        }
        return z;
    }

    private static void dot4(float[] a, int off, float[] v0, float[] v1, float[] v2, float[] v3, int n, double[] y, int yo) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0, bound = S.loopBound(n);
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            int end = Math.min(bound, j + DOT_RUN);
            for (; j < end; j += W) {
                FloatVector x = FloatVector.fromArray(S, a, off + j);
                a0 = x.fma(FloatVector.fromArray(S, v0, j), a0);
                a1 = x.fma(FloatVector.fromArray(S, v1, j), a1);
                a2 = x.fma(FloatVector.fromArray(S, v2, j), a2);
                a3 = x.fma(FloatVector.fromArray(S, v3, j), a3);
            }
            s0 += sumLanes(a0);
            s1 += sumLanes(a1);
            s2 += sumLanes(a2);
            s3 += sumLanes(a3);
        }
        for (; j < n; j++) {
            double x = a[off + j];
            s0 += x * v0[j]; s1 += x * v1[j]; s2 += x * v2[j]; s3 += x * v3[j];
        }
        y[yo] = s0; y[yo + 1] = s1; y[yo + 2] = s2; y[yo + 3] = s3;
    }

    private static double dot1(float[] a, int off, float[] v, int n) {
        double s = 0;
        int j = 0, bound = S.loopBound(n);
        while (j < bound) {
            FloatVector acc = FloatVector.zero(S);
            int end = Math.min(bound, j + DOT_RUN);
            for (; j < end; j += W) acc = FloatVector.fromArray(S, a, off + j).fma(FloatVector.fromArray(S, v, j), acc);
            s += sumLanes(acc);
        }
        for (; j < n; j++) s += (double) a[off + j] * v[j];
        return s;
    }

    private static void axpy4(float[] a, int off, float y0, float y1, float y2, float y3,
                              float[] z0, float[] z1, float[] z2, float[] z3, int n) {
        int j = 0, bound = S.loopBound(n);
        FloatVector b0 = FloatVector.broadcast(S, y0), b1 = FloatVector.broadcast(S, y1),
                b2 = FloatVector.broadcast(S, y2), b3 = FloatVector.broadcast(S, y3);
        for (; j < bound; j += W) {
            FloatVector x = FloatVector.fromArray(S, a, off + j);
            x.fma(b0, FloatVector.fromArray(S, z0, j)).intoArray(z0, j);
            x.fma(b1, FloatVector.fromArray(S, z1, j)).intoArray(z1, j);
            x.fma(b2, FloatVector.fromArray(S, z2, j)).intoArray(z2, j);
            x.fma(b3, FloatVector.fromArray(S, z3, j)).intoArray(z3, j);
        }
        for (; j < n; j++) {
            float x = a[off + j];
            z0[j] += x * y0; z1[j] += x * y1; z2[j] += x * y2; z3[j] += x * y3;
        }
    }

    private static void axpy1(float[] a, int off, float y, float[] z, int n) {
        int j = 0, bound = S.loopBound(n);
        FloatVector b = FloatVector.broadcast(S, y);
        for (; j < bound; j += W) FloatVector.fromArray(S, a, off + j).fma(b, FloatVector.fromArray(S, z, j)).intoArray(z, j);
        for (; j < n; j++) z[j] += a[off + j] * y;
    }
}
