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
 * {@link GramPassReference}: whatever the pass schedules (row blocks on the pool, the storage's
 * kernels, the first pass's sum of squares), every y and z entry sees the same arithmetic in the
 * same order as that loop, so a faster pass cannot quietly change results. Shapes cover
 * row tails (rows % 4), several row blocks, the 64-row flush, column tails (cols % lanes) and
 * one, two and three vectors.
 */
class RowBlockGramTest {
    // the last one (8.4 MB) is the size of a tensor that streams from memory
    private static final int[][] SHAPES = {{1, 5}, {3, 64}, {7, 33}, {130, 17}, {257, 129}, {300, 40}, {384, 41}, {900, 23}, {1030, 70}, {1030, 2050}};

    @Test void heapPassMatchesThePlainLoopBitForBit() {
        for (int[] shape : SHAPES) for (int b = 1; b <= 3; b++) check(shape[0], shape[1], b, false);
    }

    @Test void mappedPassMatchesThePlainLoopBitForBit() {
        for (int[] shape : SHAPES) for (int b = 1; b <= 3; b++) check(shape[0], shape[1], b, true);
    }

    @Test void repeatedPassesOnOneOperatorKeepTheBits() {
        // a pass reuses the previous pass's block sums and this thread's running sums: passes with
        // two, one, three and again two vectors on one operator each equal a fresh operator's
        SplittableRandom rng = new SplittableRandom(7);
        int rows = 1030, cols = 2050;
        float[] data = gaussian(rows * cols, rng);
        F32Rows op = new F32Rows(new Matrix(rows, cols, data));
        for (int b : new int[] {2, 1, 3, 2}) {
            float[][] x = new float[b][];
            for (int c = 0; c < b; c++) x[c] = gaussian(cols, rng);
            double[][] y = new double[b][rows], z = new double[b][cols], yRef = new double[b][rows], zRef = new double[b][cols];
            op.applyGram(x, y, z);
            new F32Rows(new Matrix(rows, cols, data)).applyGram(x, yRef, zRef);
            for (int c = 0; c < b; c++) {
                assertSameBits(yRef[c], y[c], b + " vector(s), y" + c);
                assertSameBits(zRef[c], z[c], b + " vector(s), z" + c);
            }
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
