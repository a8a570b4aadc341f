package io.geocont.linalg;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The monitor's per-step kernel against the scalar loop it replaced, for lengths with and without a tail. */
class SquareDotAndAddTest {
    @Test void matchesTheScalarLoop() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 7, 8, 9, 63, 128 * 128, 1000}) {
            float[] g = new float[n + 5], next = new float[n + 3], a = new float[n], b = new float[n];
            for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
            for (int i = 0; i < next.length; i++) next[i] = (float) r.nextGaussian();
            for (int i = 0; i < n; i++) { a[i] = (float) r.nextGaussian(); b[i] = (float) r.nextGaussian(); }
            float[] a0 = a.clone(), b0 = b.clone();
            double s = 0, d = 0;
            for (int i = 0; i < n; i++) {
                float x = g[5 + i];
                s += (double) x * x;
                d += (double) x * next[3 + i];
                a0[i] += x;
                b0[i] += x;
            }
            double[] out = new double[2];
            F32RowKernels.squareDotAndAdd(g, 5, next, 3, a, b, n, out);
            assertEquals(s, out[0], 1e-12 * s, "sum of squares, n = " + n);
            assertEquals(d, out[1], 1e-12 * s, "dot, n = " + n);
            assertArrayEquals(a0, a, "running sum a, n = " + n); // float adds element by element: bitwise the same
            assertArrayEquals(b0, b, "running sum b, n = " + n);
            F32RowKernels.squareDotAndAdd(g, 5, null, 0, a, b, n, out);
            assertEquals(s, out[0], 1e-12 * s);
            assertEquals(0, out[1]);
        }
    }
}
