package io.geocont.io.checkpoint;

import io.geocont.linalg.GramPassReference;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static io.geocont.linalg.GramPassReference.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * bf16 and f16 matrices read in place give the bits of the plain pass loop
 * ({@link GramPassReference}) with their own kernels: bf16's packed widening and f16's decode
 * buffer (the update of a group must read the rows its dots decoded) change nothing. Row tails, several row blocks, the 64-row flush, column tails (bf16 works in
 * chunks of two vectors) and one to three vectors; the first pass also sums the squares.
 */
class StoredHalfMatrixPassTest {
    private static final int[][] SHAPES = {{1, 5}, {3, 64}, {7, 33}, {130, 17}, {257, 129}, {300, 40}, {1030, 70}};
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test void bf16PassMatchesThePlainLoopBitForBit() {
        for (int[] shape : SHAPES) for (int b = 1; b <= 3; b++) check(shape[0], shape[1], b, Dtype.BF16);
    }

    @Test void f16PassMatchesThePlainLoopBitForBit() {
        for (int[] shape : SHAPES) for (int b = 1; b <= 3; b++) check(shape[0], shape[1], b, Dtype.F16);
    }

    private static void check(int rows, int cols, int b, Dtype dtype) {
        SplittableRandom rng = new SplittableRandom(17L * rows + cols);
        MemorySegment seg = Arena.ofAuto().allocate(2L * rows * cols, 64);
        for (long i = 0; i < (long) rows * cols; i++) {
            float v = (float) rng.nextGaussian();
            short bits = dtype == Dtype.BF16 ? (short) (Float.floatToRawIntBits(v) >>> 16) : Float.floatToFloat16(v);
            seg.set(SHORT, 2 * i, bits);
        }
        StoredHalfMatrix op = new StoredHalfMatrix(seg, rows, cols, dtype, "pass");
        StoredHalfMatrix ref = new StoredHalfMatrix(seg, rows, cols, dtype, "reference");
        float[][] x = new float[b][cols];
        for (float[] xc : x) for (int j = 0; j < cols; j++) xc[j] = (float) rng.nextGaussian();
        double[][] y = new double[b][rows], z = new double[b][cols], yRef = new double[b][rows], zRef = new double[b][cols];
        op.applyGram(x, y, z);
        GramPassReference.applyGram(rows, cols, ref::dots, ref::accumulate, ref::dots2, ref::accumulate2,
                ref::toKernelOrder, ref::fromKernelOrder, x, yRef, zRef);
        String what = dtype + " " + rows + "x" + cols + ", " + b + " vector(s)";
        for (int c = 0; c < b; c++) {
            assertSameBits(yRef[c], y[c], what + ", y" + c);
            assertSameBits(zRef[c], z[c], what + ", z" + c);
        }
        assertEquals(new StoredHalfMatrix(seg, rows, cols, dtype, "fresh").frobeniusSq(), op.frobeniusSq(), 0.0, what + ", ||A||_F^2");
    }
}
