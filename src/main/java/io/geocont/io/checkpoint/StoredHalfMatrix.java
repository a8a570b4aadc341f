package io.geocont.io.checkpoint;

import io.geocont.linalg.F32RowKernels;
import io.geocont.linalg.Lanes;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.RowBlockGram;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A bf16 or f16 weight matrix read in place from the mapped checkpoint, in its stored width:
 * the top-k SVD's fused pass reads 2 bytes per entry instead of the 4 of a float32 copy, and no
 * copy of the whole matrix is ever made. bf16 is widened in registers (16-bit shift into a
 * float's high half, two values per 32-bit lane); f16 rows are decoded four at a time into a small float32 buffer (the
 * Vector API has no f16 lane conversion) and handed to the float32 row kernels.
 */
final class StoredHalfMatrix extends RowBlockGram {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int W = F.length();
    private static final int RUN = 64 * W;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;   // rows * cols little-endian 16-bit values
    private final boolean bf16;
    private final String description;
    private final ThreadLocal<float[]> rowBuffer;

    StoredHalfMatrix(MemorySegment data, int rows, int cols, Dtype dtype, String description) {
        super(rows, cols);
        if (dtype != Dtype.BF16 && dtype != Dtype.F16) throw new IllegalArgumentException("not a 16-bit float type: " + dtype);
        if (data.byteSize() != 2L * rows * cols) throw new IllegalArgumentException(description + ": " + data.byteSize() + " bytes for " + rows + "x" + cols);
        this.data = data;
        this.bf16 = dtype == Dtype.BF16;
        this.description = description;
        this.rowBuffer = ThreadLocal.withInitial(() -> new float[4 * cols]);
    }

    private float scalar(long element) {
        short b = data.get(SHORT, 2 * element);
        return bf16 ? Float.intBitsToFloat((b & 0xffff) << 16) : Float.float16ToFloat(b);
    }

    /** f16: rows [row, row + count) decoded into the thread's buffer. */
    private float[] decode(int row, int count) {
        float[] buf = rowBuffer.get();
        long base = (long) row * cols;
        for (int i = 0, n = count * cols; i < n; i++) buf[i] = Float.float16ToFloat(data.get(SHORT, 2 * (base + i)));
        return buf;
    }

    // bf16 kernels work on chunks of 2W columns: one W-int load holds 2W packed bf16 values; a
    // 16-bit shift widens the even ones and a mask the odd ones (one ALU op per W values instead
    // of a sign-extending conversion plus a shift). So x and z are handed over interleaved:
    // chunk [j0, j0 + 2W) holds the even columns first, then the odd ones (toKernelOrder).
    private static final int CHUNK = 2 * W;
    /**
     * With 16 vector registers (256-bit AVX2) C2 unrolls the bf16 dot loop four times and spills
     * its eight accumulators and widened rows to the stack; with 32 (AVX-512) they fit.
     */
    private static final boolean FEW_VECTOR_REGISTERS = F.vectorBitSize() < 512;
    /**
     * CHUNK in a field C2 cannot fold (deliberately not final): a loop with this stride is not a
     * counted loop, so C2 never unrolls it. The arithmetic, and so every bit, is the same.
     */
    private static int unfoldableChunk = CHUNK;

    private int chunked() { return cols - cols % CHUNK; }

    @Override protected float[] toKernelOrder(float[] x) {
        if (!bf16) return x;
        float[] p = x.clone();
        for (int j0 = 0, end = chunked(); j0 < end; j0 += CHUNK)
            for (int i = 0; i < W; i++) { p[j0 + i] = x[j0 + 2 * i]; p[j0 + W + i] = x[j0 + 2 * i + 1]; }
        return p;
    }

    @Override protected void fromKernelOrder(double[] z) {
        if (!bf16) return;
        double[] t = new double[CHUNK];
        for (int j0 = 0, end = chunked(); j0 < end; j0 += CHUNK) {
            for (int i = 0; i < W; i++) { t[2 * i] = z[j0 + i]; t[2 * i + 1] = z[j0 + W + i]; }
            System.arraycopy(t, 0, z, j0, CHUNK);
        }
    }

    private IntVector packed(long element) {
        return IntVector.fromMemorySegment(I, data, 2 * element, ByteOrder.LITTLE_ENDIAN);
    }

    private static FloatVector even(IntVector p) { return p.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(); }

    private static FloatVector odd(IntVector p) { return p.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats(); }

    @Override protected void dots(int row, int count, float[] x, double[] out) {
        if (!bf16) {
            F32RowKernels.dots(decode(row, count), 0, cols, count, cols, x, out);
            return;
        }
        long o0 = (long) row * cols, o1 = o0 + (long) cols * Math.min(1, count - 1), o2 = o0 + (long) cols * Math.min(2, count - 1),
                o3 = o0 + (long) cols * Math.min(3, count - 1);
        // the float64 row sums live in out (four slots, see RowBlockGram.dots), not in registers:
        // held in xmm registers across the loop they took four of the sixteen on AVX2
        double[] s = out;
        s[0] = 0; s[1] = 0; s[2] = 0; s[3] = 0;
        float[] t = new float[W];
        int j = 0, bound = chunked(), step = FEW_VECTOR_REGISTERS ? unfoldableChunk : CHUNK;
        while (j < bound) {
            // eight independent FMA chains (even and odd halves of four rows) hide the FMA latency
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += step) {
                FloatVector xe = FloatVector.fromArray(F, x, j), xo = FloatVector.fromArray(F, x, j + W);
                IntVector p0 = packed(o0 + j), p1 = packed(o1 + j), p2 = packed(o2 + j), p3 = packed(o3 + j);
                a0 = even(p0).fma(xe, a0); c0 = odd(p0).fma(xo, c0);
                a1 = even(p1).fma(xe, a1); c1 = odd(p1).fma(xo, c1);
                a2 = even(p2).fma(xe, a2); c2 = odd(p2).fma(xo, c2);
                a3 = even(p3).fma(xe, a3); c3 = odd(p3).fma(xo, c3);
            }
            s[0] += Lanes.sum(a0.add(c0), t); s[1] += Lanes.sum(a1.add(c1), t); s[2] += Lanes.sum(a2.add(c2), t); s[3] += Lanes.sum(a3.add(c3), t);
        }
        for (; j < cols; j++) {
            double xj = x[j];
            s[0] += scalar(o0 + j) * xj; s[1] += scalar(o1 + j) * xj; s[2] += scalar(o2 + j) * xj; s[3] += scalar(o3 + j) * xj;
        }
    }

    @Override protected void accumulate(int row, int count, float[] w, float[] z) {
        if (!bf16) { // the buffer still holds these rows from dots()
            F32RowKernels.accumulate(rowBuffer.get(), 0, cols, count, cols, w, z);
            return;
        }
        float w0 = w[0], w1 = count > 1 ? w[1] : 0, w2 = count > 2 ? w[2] : 0, w3 = count > 3 ? w[3] : 0;
        long o0 = (long) row * cols, o1 = o0 + (long) cols * Math.min(1, count - 1), o2 = o0 + (long) cols * Math.min(2, count - 1),
                o3 = o0 + (long) cols * Math.min(3, count - 1);
        FloatVector b0 = FloatVector.broadcast(F, w0), b1 = FloatVector.broadcast(F, w1),
                b2 = FloatVector.broadcast(F, w2), b3 = FloatVector.broadcast(F, w3);
        int j = 0, bound = chunked();
        for (; j < bound; j += CHUNK) {
            IntVector p0 = packed(o0 + j), p1 = packed(o1 + j), p2 = packed(o2 + j), p3 = packed(o3 + j);
            // two chains per half, depth 3 instead of one of depth 4
            FloatVector e = FloatVector.fromArray(F, z, j), o = FloatVector.fromArray(F, z, j + W);
            FloatVector eb = even(p1).mul(b1), ob = odd(p1).mul(b1);
            e = even(p0).fma(b0, e); o = odd(p0).fma(b0, o);
            e = even(p2).fma(b2, e); o = odd(p2).fma(b2, o);
            eb = even(p3).fma(b3, eb); ob = odd(p3).fma(b3, ob);
            e.add(eb).intoArray(z, j);
            o.add(ob).intoArray(z, j + W);
        }
        for (; j < cols; j++) z[j] += w0 * scalar(o0 + j) + w1 * scalar(o1 + j) + w2 * scalar(o2 + j) + w3 * scalar(o3 + j);
    }

    @Override protected void dots2(int row, int count, float[] x0, float[] x1, double[] out0, double[] out1) {
        if (!bf16) {
            F32RowKernels.dots2(decode(row, count), 0, cols, count, cols, x0, x1, out0, out1);
            return;
        }
        long o0 = (long) row * cols, o1 = o0 + (long) cols * Math.min(1, count - 1), o2 = o0 + (long) cols * Math.min(2, count - 1),
                o3 = o0 + (long) cols * Math.min(3, count - 1);
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        float[] t = new float[W];
        int j = 0, bound = chunked();
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += CHUNK) {
                FloatVector ue = FloatVector.fromArray(F, x0, j), uo = FloatVector.fromArray(F, x0, j + W);
                FloatVector ve = FloatVector.fromArray(F, x1, j), vo = FloatVector.fromArray(F, x1, j + W);
                IntVector k0 = packed(o0 + j), k1 = packed(o1 + j), k2 = packed(o2 + j), k3 = packed(o3 + j);
                FloatVector e0 = even(k0), d0 = odd(k0), e1 = even(k1), d1 = odd(k1), e2 = even(k2), d2 = odd(k2), e3 = even(k3), d3 = odd(k3);
                a0 = e0.fma(ue, d0.fma(uo, a0)); c0 = e0.fma(ve, d0.fma(vo, c0));
                a1 = e1.fma(ue, d1.fma(uo, a1)); c1 = e1.fma(ve, d1.fma(vo, c1));
                a2 = e2.fma(ue, d2.fma(uo, a2)); c2 = e2.fma(ve, d2.fma(vo, c2));
                a3 = e3.fma(ue, d3.fma(uo, a3)); c3 = e3.fma(ve, d3.fma(vo, c3));
            }
            p0 += Lanes.sum(a0, t); p1 += Lanes.sum(a1, t); p2 += Lanes.sum(a2, t); p3 += Lanes.sum(a3, t);
            q0 += Lanes.sum(c0, t); q1 += Lanes.sum(c1, t); q2 += Lanes.sum(c2, t); q3 += Lanes.sum(c3, t);
        }
        for (; j < cols; j++) {
            double u = x0[j], v = x1[j];
            double r0 = scalar(o0 + j), r1 = scalar(o1 + j), r2 = scalar(o2 + j), r3 = scalar(o3 + j);
            p0 += r0 * u; p1 += r1 * u; p2 += r2 * u; p3 += r3 * u;
            q0 += r0 * v; q1 += r1 * v; q2 += r2 * v; q3 += r3 * v;
        }
        out0[0] = p0; out1[0] = q0;
        if (count > 1) { out0[1] = p1; out1[1] = q1; }
        if (count > 2) { out0[2] = p2; out1[2] = q2; }
        if (count > 3) { out0[3] = p3; out1[3] = q3; }
    }

    @Override protected void accumulate2(int row, int count, float[] w0, float[] w1, float[] z0, float[] z1) {
        if (!bf16) {
            F32RowKernels.accumulate2(rowBuffer.get(), 0, cols, count, cols, w0, w1, z0, z1);
            return;
        }
        long o0 = (long) row * cols, o1 = o0 + (long) cols * Math.min(1, count - 1), o2 = o0 + (long) cols * Math.min(2, count - 1),
                o3 = o0 + (long) cols * Math.min(3, count - 1);
        float c0 = w0[0], c1 = count > 1 ? w0[1] : 0, c2 = count > 2 ? w0[2] : 0, c3 = count > 3 ? w0[3] : 0;
        float d0 = w1[0], d1 = count > 1 ? w1[1] : 0, d2 = count > 2 ? w1[2] : 0, d3 = count > 3 ? w1[3] : 0;
        FloatVector a0 = FloatVector.broadcast(F, c0), a1 = FloatVector.broadcast(F, c1), a2 = FloatVector.broadcast(F, c2), a3 = FloatVector.broadcast(F, c3);
        FloatVector b0 = FloatVector.broadcast(F, d0), b1 = FloatVector.broadcast(F, d1), b2 = FloatVector.broadcast(F, d2), b3 = FloatVector.broadcast(F, d3);
        int j = 0, bound = chunked();
        for (; j < bound; j += CHUNK) {
            IntVector k0 = packed(o0 + j), k1 = packed(o1 + j), k2 = packed(o2 + j), k3 = packed(o3 + j);
            FloatVector e0 = even(k0), f0 = odd(k0), e1 = even(k1), f1 = odd(k1), e2 = even(k2), f2 = odd(k2), e3 = even(k3), f3 = odd(k3);
            FloatVector se = FloatVector.fromArray(F, z0, j), so = FloatVector.fromArray(F, z0, j + W);
            FloatVector te = FloatVector.fromArray(F, z1, j), to = FloatVector.fromArray(F, z1, j + W);
            // two chains per output half (depth 3) keep eight FMAs in flight
            se = e2.fma(a2, e0.fma(a0, se)).add(e3.fma(a3, e1.mul(a1)));
            so = f2.fma(a2, f0.fma(a0, so)).add(f3.fma(a3, f1.mul(a1)));
            te = e2.fma(b2, e0.fma(b0, te)).add(e3.fma(b3, e1.mul(b1)));
            to = f2.fma(b2, f0.fma(b0, to)).add(f3.fma(b3, f1.mul(b1)));
            se.intoArray(z0, j); so.intoArray(z0, j + W);
            te.intoArray(z1, j); to.intoArray(z1, j + W);
        }
        for (; j < cols; j++) {
            float r0 = scalar(o0 + j), r1 = scalar(o1 + j), r2 = scalar(o2 + j), r3 = scalar(o3 + j);
            z0[j] += c0 * r0 + c1 * r1 + c2 * r2 + c3 * r3;
            z1[j] += d0 * r0 + d1 * r1 + d2 * r2 + d3 * r3;
        }
    }

    @Override protected double squares(int row, int count) {
        double s = 0;
        if (bf16) { // row by row over packed chunks (the row kernels' widening), the tail scalar
            float[] t = new float[W];
            for (int r = 0; r < count; r++) {
                long base = (long) (row + r) * cols;
                int j = 0, bound = chunked();
                while (j < bound) {
                    FloatVector acc = FloatVector.zero(F), acc2 = acc;
                    int end = Math.min(bound, j + RUN);
                    for (; j < end; j += CHUNK) {
                        IntVector p = packed(base + j);
                        FloatVector e = even(p), o = odd(p);
                        acc = e.fma(e, acc);
                        acc2 = o.fma(o, acc2);
                    }
                    s += Lanes.sum(acc.add(acc2), t);
                }
                for (; j < cols; j++) { double a = scalar(base + j); s += a * a; }
            }
        } else {
            long base = (long) row * cols;
            for (long i = 0, n = (long) count * cols; i < n; i++) { double a = scalar(base + i); s += a * a; }
        }
        return s;
    }

    @Override public String findNonFinite() {
        for (long i = 0, n = (long) rows * cols; i < n; i++) {
            float a = scalar(i);
            if (!Float.isFinite(a)) return a + " at row " + (i / cols) + ", column " + (i % cols);
        }
        return null;
    }

    @Override public Matrix toMatrix() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < out.length; i++) out[i] = scalar(i);
        Matrix m = new Matrix(rows, cols, out);
        String bad = m.findNonFinite();
        if (bad != null) throw new IllegalArgumentException(description + ": non-finite value " + bad);
        return m;
    }

    @Override public String describe() { return description; }
}
