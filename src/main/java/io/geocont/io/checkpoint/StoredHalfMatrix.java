package io.geocont.io.checkpoint;

import io.geocont.linalg.F32RowKernels;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.RowBlockGram;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A bf16 or f16 weight matrix read in place from the mapped checkpoint, in its stored width:
 * the top-k SVD's fused pass reads 2 bytes per entry instead of the 4 of a float32 copy, and no
 * copy of the whole matrix is ever made. bf16 is widened in registers (16-bit shift into a
 * float's high half); f16 rows are decoded four at a time into a small float32 buffer (the
 * Vector API has no f16 lane conversion) and handed to the float32 row kernels.
 */
final class StoredHalfMatrix extends RowBlockGram {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, jdk.incubator.vector.VectorShape.forBitSize(F.vectorBitSize() / 2));
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

    private FloatVector load(long element) {
        ShortVector s = ShortVector.fromMemorySegment(S, data, 2 * element, ByteOrder.LITTLE_ENDIAN);
        return ((IntVector) s.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
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

    @Override protected void dots(int row, int count, float[] x, double[] out) {
        if (!bf16) {
            F32RowKernels.dots(decode(row, count), 0, cols, count, cols, x, out);
            return;
        }
        long o0 = (long) row * cols, o1 = o0 + (long) cols * Math.min(1, count - 1), o2 = o0 + (long) cols * Math.min(2, count - 1),
                o3 = o0 + (long) cols * Math.min(3, count - 1);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0, bound = F.loopBound(cols);
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += W) {
                FloatVector xv = FloatVector.fromArray(F, x, j);
                a0 = load(o0 + j).fma(xv, a0);
                a1 = load(o1 + j).fma(xv, a1);
                a2 = load(o2 + j).fma(xv, a2);
                a3 = load(o3 + j).fma(xv, a3);
            }
            s0 += lanes(a0); s1 += lanes(a1); s2 += lanes(a2); s3 += lanes(a3);
        }
        for (; j < cols; j++) {
            double xj = x[j];
            s0 += scalar(o0 + j) * xj; s1 += scalar(o1 + j) * xj; s2 += scalar(o2 + j) * xj; s3 += scalar(o3 + j) * xj;
        }
        out[0] = s0;
        if (count > 1) out[1] = s1;
        if (count > 2) out[2] = s2;
        if (count > 3) out[3] = s3;
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
        int j = 0, bound = F.loopBound(cols);
        for (; j < bound; j += W) {
            FloatVector acc = FloatVector.fromArray(F, z, j);
            acc = load(o0 + j).fma(b0, acc);
            acc = load(o1 + j).fma(b1, acc);
            acc = load(o2 + j).fma(b2, acc);
            acc = load(o3 + j).fma(b3, acc);
            acc.intoArray(z, j);
        }
        for (; j < cols; j++) z[j] += w0 * scalar(o0 + j) + w1 * scalar(o1 + j) + w2 * scalar(o2 + j) + w3 * scalar(o3 + j);
    }

    @Override protected void dots2(int row, int count, float[] x0, float[] x1, double[] out0, double[] out1) {
        if (!bf16) {
            float[] buf = decode(row, count);
            F32RowKernels.dots(buf, 0, cols, count, cols, x0, out0);
            F32RowKernels.dots(buf, 0, cols, count, cols, x1, out1);
            return;
        }
        long o0 = (long) row * cols, o1 = o0 + (long) cols * Math.min(1, count - 1), o2 = o0 + (long) cols * Math.min(2, count - 1),
                o3 = o0 + (long) cols * Math.min(3, count - 1);
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        int j = 0, bound = F.loopBound(cols);
        while (j < bound) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int end = Math.min(bound, j + RUN);
            for (; j < end; j += W) {
                FloatVector u = FloatVector.fromArray(F, x0, j), v = FloatVector.fromArray(F, x1, j);
                FloatVector r0 = load(o0 + j), r1 = load(o1 + j), r2 = load(o2 + j), r3 = load(o3 + j);
                a0 = r0.fma(u, a0); b0 = r0.fma(v, b0);
                a1 = r1.fma(u, a1); b1 = r1.fma(v, b1);
                a2 = r2.fma(u, a2); b2 = r2.fma(v, b2);
                a3 = r3.fma(u, a3); b3 = r3.fma(v, b3);
            }
            p0 += lanes(a0); p1 += lanes(a1); p2 += lanes(a2); p3 += lanes(a3);
            q0 += lanes(b0); q1 += lanes(b1); q2 += lanes(b2); q3 += lanes(b3);
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
            float[] buf = rowBuffer.get();
            F32RowKernels.accumulate(buf, 0, cols, count, cols, w0, z0);
            F32RowKernels.accumulate(buf, 0, cols, count, cols, w1, z1);
            return;
        }
        long o0 = (long) row * cols, o1 = o0 + (long) cols * Math.min(1, count - 1), o2 = o0 + (long) cols * Math.min(2, count - 1),
                o3 = o0 + (long) cols * Math.min(3, count - 1);
        FloatVector a0 = FloatVector.broadcast(F, w0[0]), a1 = FloatVector.broadcast(F, count > 1 ? w0[1] : 0),
                a2 = FloatVector.broadcast(F, count > 2 ? w0[2] : 0), a3 = FloatVector.broadcast(F, count > 3 ? w0[3] : 0);
        FloatVector b0 = FloatVector.broadcast(F, w1[0]), b1 = FloatVector.broadcast(F, count > 1 ? w1[1] : 0),
                b2 = FloatVector.broadcast(F, count > 2 ? w1[2] : 0), b3 = FloatVector.broadcast(F, count > 3 ? w1[3] : 0);
        int j = 0, bound = F.loopBound(cols);
        for (; j < bound; j += W) {
            FloatVector r0 = load(o0 + j), r1 = load(o1 + j), r2 = load(o2 + j), r3 = load(o3 + j);
            FloatVector s = FloatVector.fromArray(F, z0, j), t = FloatVector.fromArray(F, z1, j);
            s = r0.fma(a0, s); t = r0.fma(b0, t);
            s = r1.fma(a1, s); t = r1.fma(b1, t);
            s = r2.fma(a2, s); t = r2.fma(b2, t);
            s = r3.fma(a3, s); t = r3.fma(b3, t);
            s.intoArray(z0, j);
            t.intoArray(z1, j);
        }
        for (; j < cols; j++) {
            float r0 = scalar(o0 + j), r1 = count > 1 ? scalar(o1 + j) : 0, r2 = count > 2 ? scalar(o2 + j) : 0, r3 = count > 3 ? scalar(o3 + j) : 0;
            z0[j] += w0[0] * r0 + (count > 1 ? w0[1] * r1 : 0) + (count > 2 ? w0[2] * r2 : 0) + (count > 3 ? w0[3] * r3 : 0);
            z1[j] += w1[0] * r0 + (count > 1 ? w1[1] * r1 : 0) + (count > 2 ? w1[2] * r2 : 0) + (count > 3 ? w1[3] * r3 : 0);
        }
    }

    @Override protected double squares(int row, int count) {
        double s = 0;
        long base = (long) row * cols;
        if (bf16) {
            int j = 0;
            long n = (long) count * cols, bound = n - n % W;
            while (j < bound) {
                FloatVector acc = FloatVector.zero(F);
                long end = Math.min(bound, j + (long) RUN);
                for (; j < end; j += W) { FloatVector a = load(base + j); acc = a.fma(a, acc); }
                s += lanes(acc);
            }
            for (; j < n; j++) { double a = scalar(base + j); s += a * a; }
        } else {
            for (long i = 0, n = (long) count * cols; i < n; i++) { double a = scalar(base + i); s += a * a; }
        }
        return s;
    }

    private static double lanes(FloatVector v) {
        double s = 0;
        for (int i = 0; i < W; i++) s += v.lane(i);
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
