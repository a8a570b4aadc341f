package io.geocont.linalg;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static io.geocont.linalg.GramPassReference.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float32 Gram pass (heap and mapped) gives the bits of the plain loop in
 * {@link GramPassReference}: the software-pipelined row groups (update of one group in the sweep
 * that computes the next group's dots) change the schedule, never the arithmetic. Shapes cover
 * row tails (rows % 4), several row blocks, the 64-row flush, column tails (cols % lanes) and
 * one, two and three vectors.
 */
class RowBlockGramTest {
    // the last one is over F32Rows.SWEEP_MIN_BYTES, so its passes take the fused sweep
    private static final int[][] SHAPES = {{1, 5}, {3, 64}, {7, 33}, {130, 17}, {257, 129}, {300, 40}, {1030, 70}, {1030, 2050}};

    @Test void heapPassMatchesThePlainLoopBitForBit() {
        for (int[] shape : SHAPES) for (int b = 1; b <= 3; b++) check(shape[0], shape[1], b, false);
    }

    @Test void mappedPassMatchesThePlainLoopBitForBit() {
        for (int[] shape : SHAPES) for (int b = 1; b <= 3; b++) check(shape[0], shape[1], b, true);
    }

    @Test void fusedKernelEqualsItsTwoCalls() {
        // the kernels alone (heap and mapped), on columns with a vector tail: update of rows 0-3, dots of rows 4-7
        SplittableRandom rng = new SplittableRandom(5);
        for (int cols : new int[] {1, 16, 37, 1000, 4099}) {
            float[] a = gaussian(8 * cols, rng), x = gaussian(cols, rng), z = gaussian(cols, rng);
            float[] w = {0.5f, -1.25f, 2f, 0.125f};
            MemorySegment seg = Arena.ofAuto().allocate(4L * a.length, 64);
            MemorySegment.copy(a, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, a.length);
            float[] zTwo = z.clone(), zHeap = z.clone(), zMapped = z.clone();
            double[] dTwo = new double[4], dHeap = new double[4], dMapped = new double[4];
            F32RowKernels.accumulate(a, 0, cols, 4, cols, w, zTwo);
            F32RowKernels.dots(a, 4 * cols, cols, 4, cols, x, dTwo);
            F32RowKernels.accumulateThenDots(a, 0, 4 * cols, cols, cols, w, zHeap, x, dHeap);
            F32RowKernels.accumulateThenDots(seg, 0, 4L * cols, cols, cols, w, zMapped, x, dMapped);
            assertSameFloats(zTwo, zHeap, cols + " columns, heap z");
            assertSameBits(dTwo, dHeap, cols + " columns, heap dots");
            assertSameFloats(zTwo, zMapped, cols + " columns, mapped z");
            assertSameBits(dTwo, dMapped, cols + " columns, mapped dots");
        }
    }

    private static void check(int rows, int cols, int b, boolean mapped) {
        SplittableRandom rng = new SplittableRandom(31L * rows + cols);
        float[] data = gaussian(rows * cols, rng);
        F32Rows op, ref;
        MemorySegment seg = null;
        if (mapped) {
            seg = Arena.ofAuto().allocate(4L * rows * cols, 64);
            MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, data.length);
            op = F32Rows.inPlace(seg, rows, cols, "mapped");
            ref = F32Rows.inPlace(seg, rows, cols, "mapped reference");
        } else {
            op = new F32Rows(new Matrix(rows, cols, data));
            ref = new F32Rows(new Matrix(rows, cols, data.clone()));
        }
        float[][] x = new float[b][];
        for (int c = 0; c < b; c++) x[c] = gaussian(cols, rng);
        double[][] y = new double[b][rows], z = new double[b][cols], yRef = new double[b][rows], zRef = new double[b][cols];
        op.applyGram(x, y, z);
        GramPassReference.applyGram(rows, cols, ref::dots, ref::accumulate, ref::dots2, ref::accumulate2,
                v -> v, v -> { }, x, yRef, zRef);
        String what = (mapped ? "mapped " : "heap ") + rows + "x" + cols + ", " + b + " vector(s)";
        for (int c = 0; c < b; c++) {
            assertSameBits(yRef[c], y[c], what + ", y" + c);
            assertSameBits(zRef[c], z[c], what + ", z" + c);
        }
        // the first pass over a mapped tensor also sums the squares: the same bits as its own pass
        if (mapped) assertEquals(F32Rows.inPlace(seg, rows, cols, "fresh").frobeniusSq(), op.frobeniusSq(), 0.0, what + ", ||A||_F^2");
    }

    static float[] gaussian(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    static void assertSameFloats(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i]))
                org.junit.jupiter.api.Assertions.fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
    }
}
