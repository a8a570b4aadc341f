package io.geocont.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Row kernels over float32 rows: four dot products against one x (each chunk of x loaded once
 * for four rows; float32 FMA lanes flushed into float64 every 64 vectors) and the four-row
 * update z += sum_r w_r a_r (z loaded and stored once for four rows). Offsets and strides count
 * float elements. Public so the stored-width readers can run them on rows they decode into a
 * small buffer.
 *
 * <p>Each kernel exists twice, with the same arithmetic in the same order (so the same bits):
 * over a Java array (host matrices, decode buffers) and over a memory segment (a float32 tensor
 * mapped from a checkpoint file, read in place). Heap data must never go through the segment
 * kernels: the JIT's type profile for segment vector loads is shared by every caller, and once
 * it has seen heap and mapped segments both kinds run 2.5-12x slower (measured on 384 x 384:
 * a pass 25 us on one kind, 65-300 us after mixing). Array loads have their own code path.
 * Two kinds of off-heap segment mix just as badly: a mapped file and an {@code Arena}-allocated
 * segment (1536 x 384, one thread: 109-140 us per pass with one kind in the JVM, 252-266 us
 * once both were seen; alignment made no difference). geocont itself only hands mapped
 * checkpoint tensors to these kernels.
 */
public final class F32RowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Float vectors with as many lanes as a double vector (half width), or null where no such shape exists. */
    private static final VectorSpecies<Float> HALF = halfSpecies();
    private static final int W = S.length();
    private static final int RUN = 64 * W;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private F32RowKernels() { }

    private static VectorSpecies<Float> halfSpecies() {
        try {
            return VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(D.vectorBitSize() / 2));
        } catch (IllegalArgumentException noSuchShape) {
            return null;
        }
    }

    private static FloatVector load(MemorySegment a, long element) {
        return FloatVector.fromMemorySegment(S, a, 4 * element, LE);
    }

    private static float scalar(MemorySegment a, long element) { return a.get(FLOAT, 4 * element); }

    // ---- kernels over Java arrays (host matrices, decode buffers) ----

    /** {@code out[r] = a[off_r .. off_r + n) . x} for the rows at offsets {@code off + r * stride}, {@code r < count}. */
    public static void dots(float[] a, int off, int stride, int count, int n, float[] x, double[] out) {
        int o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        float[] t = new float[W];
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
            s0 += Lanes.sum(a0, t); s1 += Lanes.sum(a1, t); s2 += Lanes.sum(a2, t); s3 += Lanes.sum(a3, t);
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

    /** {@code z[j] += sum_r w[r] a[off_r + j]} for the rows at offsets {@code off + r * stride}, {@code r < count}. */
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

    /** Two vectors at once: out0[r] = row_r . x0, out1[r] = row_r . x1 (each row chunk loaded once for both). */
    public static void dots2(float[] a, int off, int stride, int count, int n, float[] x0, float[] x1, double[] out0, double[] out1) {
        int o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        float[] t = new float[W];
        int j = 0, bound = S.loopBound(n);
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += W) {
                FloatVector u = FloatVector.fromArray(S, x0, j), v = FloatVector.fromArray(S, x1, j);
                FloatVector r0 = FloatVector.fromArray(S, a, o0 + j), r1 = FloatVector.fromArray(S, a, o1 + j),
                        r2 = FloatVector.fromArray(S, a, o2 + j), r3 = FloatVector.fromArray(S, a, o3 + j);
                a0 = r0.fma(u, a0); b0 = r0.fma(v, b0);
                a1 = r1.fma(u, a1); b1 = r1.fma(v, b1);
                a2 = r2.fma(u, a2); b2 = r2.fma(v, b2);
                a3 = r3.fma(u, a3); b3 = r3.fma(v, b3);
            }
            p0 += Lanes.sum(a0, t); p1 += Lanes.sum(a1, t); p2 += Lanes.sum(a2, t); p3 += Lanes.sum(a3, t);
            q0 += Lanes.sum(b0, t); q1 += Lanes.sum(b1, t); q2 += Lanes.sum(b2, t); q3 += Lanes.sum(b3, t);
        }
        for (; j < n; j++) {
            double u = x0[j], v = x1[j];
            double r0 = a[o0 + j], r1 = a[o1 + j], r2 = a[o2 + j], r3 = a[o3 + j];
            p0 += r0 * u; p1 += r1 * u; p2 += r2 * u; p3 += r3 * u;
            q0 += r0 * v; q1 += r1 * v; q2 += r2 * v; q3 += r3 * v;
        }
        out0[0] = p0; out1[0] = q0;
        if (count > 1) { out0[1] = p1; out1[1] = q1; }
        if (count > 2) { out0[2] = p2; out1[2] = q2; }
        if (count > 3) { out0[3] = p3; out1[3] = q3; }
    }

    /** Two vectors at once: z0 += sum_r w0[r] row_r, z1 += sum_r w1[r] row_r (each row chunk loaded once for both). */
    public static void accumulate2(float[] a, int off, int stride, int count, int n, float[] w0, float[] w1, float[] z0, float[] z1) {
        int o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        float c0 = w0[0], c1 = count > 1 ? w0[1] : 0, c2 = count > 2 ? w0[2] : 0, c3 = count > 3 ? w0[3] : 0;
        float d0 = w1[0], d1 = count > 1 ? w1[1] : 0, d2 = count > 2 ? w1[2] : 0, d3 = count > 3 ? w1[3] : 0;
        FloatVector a0 = FloatVector.broadcast(S, c0), a1 = FloatVector.broadcast(S, c1), a2 = FloatVector.broadcast(S, c2), a3 = FloatVector.broadcast(S, c3);
        FloatVector b0 = FloatVector.broadcast(S, d0), b1 = FloatVector.broadcast(S, d1), b2 = FloatVector.broadcast(S, d2), b3 = FloatVector.broadcast(S, d3);
        int j = 0, bound = S.loopBound(n);
        for (; j < bound; j += W) {
            FloatVector r0 = FloatVector.fromArray(S, a, o0 + j), r1 = FloatVector.fromArray(S, a, o1 + j),
                    r2 = FloatVector.fromArray(S, a, o2 + j), r3 = FloatVector.fromArray(S, a, o3 + j);
            FloatVector s = FloatVector.fromArray(S, z0, j), t = FloatVector.fromArray(S, z1, j);
            s = r0.fma(a0, s); t = r0.fma(b0, t);
            s = r1.fma(a1, s); t = r1.fma(b1, t);
            s = r2.fma(a2, s); t = r2.fma(b2, t);
            s = r3.fma(a3, s); t = r3.fma(b3, t);
            s.intoArray(z0, j);
            t.intoArray(z1, j);
        }
        for (; j < n; j++) {
            float r0 = a[o0 + j], r1 = a[o1 + j], r2 = a[o2 + j], r3 = a[o3 + j];
            z0[j] += c0 * r0 + c1 * r1 + c2 * r2 + c3 * r3;
            z1[j] += d0 * r0 + d1 * r1 + d2 * r2 + d3 * r3;
        }
    }

    /** sum of a[off .. off + n)^2, each square and sum in float64 lanes (exact products, fixed order). */
    public static double sumSquares(float[] a, int off, int n) {
        int h = D.length();
        DoubleVector acc0 = DoubleVector.zero(D), acc1 = acc0;
        int j = 0, bound = HALF != null ? n - n % (2 * h) : 0;
        // each half of 2h floats is loaded at half width and widened: a convertShape of a full
        // vector's upper part is not intrinsified (it runs the library's Java fallback)
        for (; j < bound; j += 2 * h) {
            DoubleVector lo = (DoubleVector) FloatVector.fromArray(HALF, a, off + j).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector hi = (DoubleVector) FloatVector.fromArray(HALF, a, off + j + h).convertShape(VectorOperators.F2D, D, 0);
            acc0 = lo.fma(lo, acc0);
            acc1 = hi.fma(hi, acc1);
        }
        double s = Lanes.sum(acc0.add(acc1), new double[h]);
        for (; j < n; j++) { double v = a[off + j]; s += v * v; }
        return s;
    }

    /** True when a[off .. off + n) holds no NaN or infinity (x * 0 is 0 for every finite x). */
    public static boolean allFinite(float[] a, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0, bound = n - n % W;
        for (; j < bound; j += W) acc = FloatVector.fromArray(S, a, off + j).fma(FloatVector.zero(S), acc);
        float t = 0;
        for (; j < n; j++) t += a[off + j] * 0f;
        return Lanes.sum(acc, new float[W]) == 0 && t == 0;
    }

    // ---- the same kernels over a memory segment (float32 tensors mapped from a file) ----

    /** {@code out[r] = a[off_r .. off_r + n) . x} for the rows at offsets {@code off + r * stride}, {@code r < count}. */
    public static void dots(MemorySegment a, long off, long stride, int count, int n, float[] x, double[] out) {
        long o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        float[] t = new float[W];
        int j = 0, bound = S.loopBound(n);
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += W) {
                FloatVector xv = FloatVector.fromArray(S, x, j);
                a0 = load(a, o0 + j).fma(xv, a0);
                a1 = load(a, o1 + j).fma(xv, a1);
                a2 = load(a, o2 + j).fma(xv, a2);
                a3 = load(a, o3 + j).fma(xv, a3);
            }
            s0 += Lanes.sum(a0, t); s1 += Lanes.sum(a1, t); s2 += Lanes.sum(a2, t); s3 += Lanes.sum(a3, t);
        }
        for (; j < n; j++) {
            double xj = x[j];
            s0 += scalar(a, o0 + j) * xj; s1 += scalar(a, o1 + j) * xj; s2 += scalar(a, o2 + j) * xj; s3 += scalar(a, o3 + j) * xj;
        }
        out[0] = s0;
        if (count > 1) out[1] = s1;
        if (count > 2) out[2] = s2;
        if (count > 3) out[3] = s3;
    }

    /** {@code z[j] += sum_r w[r] a[off_r + j]} for the rows at offsets {@code off + r * stride}, {@code r < count}. */
    public static void accumulate(MemorySegment a, long off, long stride, int count, int n, float[] w, float[] z) {
        float w0 = w[0], w1 = count > 1 ? w[1] : 0, w2 = count > 2 ? w[2] : 0, w3 = count > 3 ? w[3] : 0;
        long o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        FloatVector b0 = FloatVector.broadcast(S, w0), b1 = FloatVector.broadcast(S, w1),
                b2 = FloatVector.broadcast(S, w2), b3 = FloatVector.broadcast(S, w3);
        int j = 0, bound = S.loopBound(n);
        for (; j < bound; j += W) {
            FloatVector acc = FloatVector.fromArray(S, z, j);
            acc = load(a, o0 + j).fma(b0, acc);
            acc = load(a, o1 + j).fma(b1, acc);
            acc = load(a, o2 + j).fma(b2, acc);
            acc = load(a, o3 + j).fma(b3, acc);
            acc.intoArray(z, j);
        }
        for (; j < n; j++) z[j] += w0 * scalar(a, o0 + j) + w1 * scalar(a, o1 + j) + w2 * scalar(a, o2 + j) + w3 * scalar(a, o3 + j);
    }

    /** Two vectors at once: out0[r] = row_r . x0, out1[r] = row_r . x1 (each row chunk loaded once for both). */
    public static void dots2(MemorySegment a, long off, long stride, int count, int n, float[] x0, float[] x1, double[] out0, double[] out1) {
        long o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        float[] t = new float[W];
        int j = 0, bound = S.loopBound(n);
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += W) {
                FloatVector u = FloatVector.fromArray(S, x0, j), v = FloatVector.fromArray(S, x1, j);
                FloatVector r0 = load(a, o0 + j), r1 = load(a, o1 + j), r2 = load(a, o2 + j), r3 = load(a, o3 + j);
                a0 = r0.fma(u, a0); b0 = r0.fma(v, b0);
                a1 = r1.fma(u, a1); b1 = r1.fma(v, b1);
                a2 = r2.fma(u, a2); b2 = r2.fma(v, b2);
                a3 = r3.fma(u, a3); b3 = r3.fma(v, b3);
            }
            p0 += Lanes.sum(a0, t); p1 += Lanes.sum(a1, t); p2 += Lanes.sum(a2, t); p3 += Lanes.sum(a3, t);
            q0 += Lanes.sum(b0, t); q1 += Lanes.sum(b1, t); q2 += Lanes.sum(b2, t); q3 += Lanes.sum(b3, t);
        }
        for (; j < n; j++) {
            double u = x0[j], v = x1[j];
            double r0 = scalar(a, o0 + j), r1 = scalar(a, o1 + j), r2 = scalar(a, o2 + j), r3 = scalar(a, o3 + j);
            p0 += r0 * u; p1 += r1 * u; p2 += r2 * u; p3 += r3 * u;
            q0 += r0 * v; q1 += r1 * v; q2 += r2 * v; q3 += r3 * v;
        }
        out0[0] = p0; out1[0] = q0;
        if (count > 1) { out0[1] = p1; out1[1] = q1; }
        if (count > 2) { out0[2] = p2; out1[2] = q2; }
        if (count > 3) { out0[3] = p3; out1[3] = q3; }
    }

    /** Two vectors at once: z0 += sum_r w0[r] row_r, z1 += sum_r w1[r] row_r (each row chunk loaded once for both). */
    public static void accumulate2(MemorySegment a, long off, long stride, int count, int n, float[] w0, float[] w1, float[] z0, float[] z1) {
        long o0 = off, o1 = off + stride * Math.min(1, count - 1), o2 = off + stride * Math.min(2, count - 1),
                o3 = off + stride * Math.min(3, count - 1);
        float c0 = w0[0], c1 = count > 1 ? w0[1] : 0, c2 = count > 2 ? w0[2] : 0, c3 = count > 3 ? w0[3] : 0;
        float d0 = w1[0], d1 = count > 1 ? w1[1] : 0, d2 = count > 2 ? w1[2] : 0, d3 = count > 3 ? w1[3] : 0;
        FloatVector a0 = FloatVector.broadcast(S, c0), a1 = FloatVector.broadcast(S, c1), a2 = FloatVector.broadcast(S, c2), a3 = FloatVector.broadcast(S, c3);
        FloatVector b0 = FloatVector.broadcast(S, d0), b1 = FloatVector.broadcast(S, d1), b2 = FloatVector.broadcast(S, d2), b3 = FloatVector.broadcast(S, d3);
        int j = 0, bound = S.loopBound(n);
        for (; j < bound; j += W) {
            FloatVector r0 = load(a, o0 + j), r1 = load(a, o1 + j), r2 = load(a, o2 + j), r3 = load(a, o3 + j);
            FloatVector s = FloatVector.fromArray(S, z0, j), t = FloatVector.fromArray(S, z1, j);
            s = r0.fma(a0, s); t = r0.fma(b0, t);
            s = r1.fma(a1, s); t = r1.fma(b1, t);
            s = r2.fma(a2, s); t = r2.fma(b2, t);
            s = r3.fma(a3, s); t = r3.fma(b3, t);
            s.intoArray(z0, j);
            t.intoArray(z1, j);
        }
        for (; j < n; j++) {
            float r0 = scalar(a, o0 + j), r1 = scalar(a, o1 + j), r2 = scalar(a, o2 + j), r3 = scalar(a, o3 + j);
            z0[j] += c0 * r0 + c1 * r1 + c2 * r2 + c3 * r3;
            z1[j] += d0 * r0 + d1 * r1 + d2 * r2 + d3 * r3;
        }
    }

    /** sum of a[off .. off + n)^2, each square and sum in float64 lanes (exact products, fixed order). */
    public static double sumSquares(MemorySegment a, long off, long n) {
        int h = D.length();
        DoubleVector acc0 = DoubleVector.zero(D), acc1 = acc0;
        long j = 0, bound = HALF != null ? n - n % (2 * h) : 0;
        // each half of 2h floats is loaded at half width and widened: a convertShape of a full
        // vector's upper part is not intrinsified (it runs the library's Java fallback)
        for (; j < bound; j += 2 * h) {
            DoubleVector lo = (DoubleVector) FloatVector.fromMemorySegment(HALF, a, 4 * (off + j), LE).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector hi = (DoubleVector) FloatVector.fromMemorySegment(HALF, a, 4 * (off + j + h), LE).convertShape(VectorOperators.F2D, D, 0);
            acc0 = lo.fma(lo, acc0);
            acc1 = hi.fma(hi, acc1);
        }
        double s = Lanes.sum(acc0.add(acc1), new double[h]); // 0 + (acc0_i + acc1_i) in lane order, as before
        for (; j < n; j++) { double v = scalar(a, off + j); s += v * v; }
        return s;
    }

    /** Where the first NaN or infinity of the rows x cols matrix in a is ("row 3, column 7"), or null. */
    public static String findNonFinite(MemorySegment a, int rows, int cols) {
        for (long i = 0, n = (long) rows * cols; i < n; i++) {
            float v = scalar(a, i);
            if (!Float.isFinite(v)) return v + " at row " + (i / cols) + ", column " + (i % cols);
        }
        return null;
    }

    /**
     * A training step's gradient bookkeeping in one read of the layer: {@code out[0]} = sum of
     * g^2, {@code out[1]} = sum of g * next (skipped when {@code next} is null), both in float64
     * lanes (each product exact, summed in a fixed order), and {@code a[i] += g[i]},
     * {@code b[i] += g[i]} element by element in float32 (the same sums as a scalar loop).
     */
    public static void squareDotAndAdd(float[] g, int go, float[] next, int no, float[] a, float[] b, int n, double[] out) {
        int j = 0;
        double s = 0, d = 0;
        if (HALF != null) {
            int h = D.length(), bound = n - n % h;
            DoubleVector sv = DoubleVector.zero(D), dv = sv;
            for (; j < bound; j += h) {
                FloatVector x = FloatVector.fromArray(HALF, g, go + j);
                DoubleVector xd = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0);
                sv = xd.fma(xd, sv);
                if (next != null)
                    dv = xd.fma((DoubleVector) FloatVector.fromArray(HALF, next, no + j).convertShape(VectorOperators.F2D, D, 0), dv);
                FloatVector.fromArray(HALF, a, j).add(x).intoArray(a, j);
                FloatVector.fromArray(HALF, b, j).add(x).intoArray(b, j);
            }
            double[] t = new double[h];
            s = Lanes.sum(sv, t);
            d = Lanes.sum(dv, t);
        }
        for (; j < n; j++) {
            float x = g[go + j];
            s += (double) x * x;
            if (next != null) d += (double) x * next[no + j];
            a[j] += x;
            b[j] += x;
        }
        out[0] = s;
        out[1] = next != null ? d : 0;
    }
}
