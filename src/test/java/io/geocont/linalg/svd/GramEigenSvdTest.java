package io.geocont.linalg.svd;

import io.geocont.util.SplitMix64;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GramEigenSvdTest {
    /** A = sum_i s_i u_i v_i^T rebuilt from the result, orthonormal V, and descending s. */
    @Test void reconstructsRandomAndStructuredMatrices() {
        SplitMix64 rng = new SplitMix64(5);
        for (int[] shape : new int[][]{{1, 1}, {7, 7}, {40, 40}, {128, 128}, {30, 12}}) {
            int m = shape[0], n = shape[1];
            float[] a = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
            if (m == 40) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[i * n + j] += 5f;  // a dominant rank-1 part
            Matrix mat = new Matrix(m, n, a);
            SvdResult r = new GramEigenSvd().decompose(mat);
            assertEquals(Math.min(m, n), r.k());
            assertEquals(mat.frobeniusSq(), r.frobeniusSq(), 1e-9 * mat.frobeniusSq());
            for (int i = 1; i < r.k(); i++) assertTrue(r.s()[i] <= r.s()[i - 1]);
            double maxErr = 0, scale = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int t = 0; t < r.k(); t++) s += r.s()[t] * r.u()[t][i] * r.v()[t][j];
                    maxErr = Math.max(maxErr, Math.abs(s - a[i * n + j]));
                    scale = Math.max(scale, Math.abs(a[i * n + j]));
                }
            assertTrue(maxErr < 1e-6 * scale * Math.max(1, n), m + "x" + n + " reconstruction error " + maxErr);
            for (int p = 0; p < r.k(); p++)
                for (int q = 0; q < r.k(); q++) {
                    double dot = 0;
                    for (int j = 0; j < n; j++) dot += r.v()[p][j] * r.v()[q][j];
                    assertEquals(p == q ? 1 : 0, dot, 1e-9);
                }
        }
    }

    @Test void leadingSingularAgreesWithTheFullDecomposition() {
        SplitMix64 rng = new SplitMix64(9);
        float[] a = new float[64 * 64];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
        Matrix mat = new Matrix(64, 64, a);
        SvdResult r = new GramEigenSvd().decompose(mat);
        SvdResult top = Svds.leading().decompose(mat);
        assertEquals(r.s()[0], top.s()[0], 1e-6 * r.s()[0]);
        double dot = 0;
        for (int j = 0; j < 64; j++) dot += r.v()[0][j] * top.v()[0][j];
        assertEquals(1.0, Math.abs(dot), 1e-6);
    }

    /** The per-epoch metrics from this SVD equal those from the analysis package's exact Jacobi SVD. */
    @Test void metricsAgreeWithTheExactJacobiSvd() {
        SplitMix64 rng = new SplitMix64(21);
        java.util.List<Matrix> stack = new java.util.ArrayList<>();
        float[] shared = new float[48];
        for (int j = 0; j < 48; j++) shared[j] = (float) rng.nextGaussian();
        for (int l = 0; l < 5; l++) {                      // random plus a shared rank-1 direction: some continuity
            float[] a = new float[48 * 48];
            for (int i = 0; i < 48; i++)
                for (int j = 0; j < 48; j++) a[i * 48 + j] = (float) (0.3 * rng.nextGaussian() + 0.2 * shared[i] * shared[j]);
            stack.add(new Matrix(48, 48, a));
        }
        var fast = new io.geocont.monitor.ContinuityMonitor(new io.geocont.monitor.ContinuityMonitor.Options(8, Svds.Need.ALL_FAST)).measure(stack);
        var exact = new io.geocont.monitor.ContinuityMonitor(new io.geocont.monitor.ContinuityMonitor.Options(8, Svds.Need.ALL)).measure(stack);
        assertArrayEquals(exact.v1Pairs(), fast.v1Pairs(), 1e-6);
        assertArrayEquals(exact.u1Pairs(), fast.u1Pairs(), 1e-6);
        assertEquals(exact.topkV1Mean(), fast.topkV1Mean(), 1e-5);
        assertEquals(exact.overlapVMean(), fast.overlapVMean(), 1e-6);
        assertEquals(exact.s2waMean(), fast.s2waMean(), 1e-6);
        assertEquals(exact.s2waBothMean(), fast.s2waBothMean(), 1e-6);
        assertEquals(exact.s2waSqMean(), fast.s2waSqMean(), 1e-6);
        assertArrayEquals(exact.erankLayers(), fast.erankLayers(), 1e-6);
        assertTrue(fast.v1Mean() > 0.5, "the shared direction shows: " + fast.v1Mean());
    }
}
