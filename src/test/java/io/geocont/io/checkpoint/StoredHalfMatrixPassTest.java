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

    /**
     * The kernels themselves against float64 arithmetic on the widened values (the bit tests above
     * compare the pass with a loop over the same kernels): y = A x and z = A^T y within float32
     * accumulation error, for row tails of one to three rows and column tails after whole chunks.
     */
    @Test void passAgreesWithFloat64Arithmetic() {
        for (Dtype dtype : new Dtype[] {Dtype.BF16, Dtype.F16})
            for (int[] shape : new int[][] {{5, 4096}, {6, 1029}, {7, 70}, {131, 515}})
                for (int b = 1; b <= 2; b++) checkAgainstFloat64(shape[0], shape[1], b, dtype);
    }

    private static void checkAgainstFloat64(int rows, int cols, int b, Dtype dtype) {
        SplittableRandom rng = new SplittableRandom(31L * rows + cols);
        double[] a = new double[rows * cols];
        MemorySegment seg = gaussianMatrix(rows, cols, dtype, rng, a);
        float[][] x = new float[b][cols];
        for (float[] xc : x) for (int j = 0; j < cols; j++) xc[j] = (float) rng.nextGaussian();
        double[][] y = new double[b][rows], z = new double[b][cols];
        new StoredHalfMatrix(seg, rows, cols, dtype, "pass").applyGram(x, y, z);
        for (int c = 0; c < b; c++) {
            String what = dtype + " " + rows + "x" + cols + ", vector " + c + " of " + b;
            for (int i = 0; i < rows; i++) {
                double exact = 0, scale = 0;
                for (int j = 0; j < cols; j++) { exact += a[i * cols + j] * x[c][j]; scale += Math.abs(a[i * cols + j] * x[c][j]); }
                assertEquals(exact, y[c][i], 1e-5 * scale, what + ", y[" + i + "]");
            }
            for (int j = 0; j < cols; j++) {
                double exact = 0, scale = 0;
                for (int i = 0; i < rows; i++) {
                    double w = (float) y[c][i]; // the update takes y rounded to float32
                    exact += a[i * cols + j] * w;
                    scale += Math.abs(a[i * cols + j] * w);
                }
                assertEquals(exact, z[c][j], 1e-5 * scale, what + ", z[" + j + "]");
            }
        }
    }

    private static void check(int rows, int cols, int b, Dtype dtype) {
        SplittableRandom rng = new SplittableRandom(17L * rows + cols);
        MemorySegment seg = gaussianMatrix(rows, cols, dtype, rng, new double[rows * cols]);
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

    /** A rows x cols Gaussian matrix stored in {@code dtype}; {@code widened} receives its stored values exactly. */
    private static MemorySegment gaussianMatrix(int rows, int cols, Dtype dtype, SplittableRandom rng, double[] widened) {
        MemorySegment seg = Arena.ofAuto().allocate(2L * rows * cols, 64);
        for (int i = 0; i < rows * cols; i++) {
            float v = (float) rng.nextGaussian();
            short bits = dtype == Dtype.BF16 ? (short) (Float.floatToRawIntBits(v) >>> 16) : Float.floatToFloat16(v);
            seg.set(SHORT, 2L * i, bits);
            widened[i] = dtype == Dtype.BF16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : Float.float16ToFloat(bits);
        }
        return seg;
    }
}
