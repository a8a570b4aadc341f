package io.geocont.backend.cuda;

import io.geocont.linalg.SvdProvider;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import io.geocont.backend.BackendStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GPU SVD: factors reconstruct W, vectors are orthonormal, top-k agrees with exact (|cos| within 1e-3). */
@Tag("gpu")
class CudaSvdGpuTest {
    private static CudaBackend gpu;
    private static String reason;

    private static boolean available() { return gpu != null; }

    @BeforeAll static void open() {
        BackendStatus st = CudaProbe.status();
        reason = st.reason();
        if (!st.available()) { // every test is then skipped, one by one, with this reason
            System.err.println(CudaSvdGpuTest.class.getSimpleName() + ": skipping the gpu tests: " + reason);
            return;
        }
        gpu = new CudaBackend();
    }

    /** Per test (not in @BeforeAll) so that each skipped test is reported with the reason. */
    @BeforeEach void needsDevice() { assumeTrue(reason != null && available(), "no usable CUDA device: " + reason); }

    @AfterAll static void close() { if (gpu != null) gpu.close(); }

    /** A matrix with a decaying spectrum (s_i = 1 / (1 + i)), so the top directions are well separated. */
    /** Modified Gram-Schmidt of the r columns of a row-major rows x r array (a test fixture). */
    private static void orthonormalizeColumns(double[] a, int rows, int r) {
        for (int c = 0; c < r; c++) {
            for (int p = 0; p < c; p++) {
                double d = 0;
                for (int i = 0; i < rows; i++) d += a[i * r + p] * a[i * r + c];
                for (int i = 0; i < rows; i++) a[i * r + c] -= d * a[i * r + p];
            }
            double s = 0;
            for (int i = 0; i < rows; i++) s += a[i * r + c] * a[i * r + c];
            s = Math.sqrt(s);
            for (int i = 0; i < rows; i++) a[i * r + c] /= s;
        }
    }

    private static Matrix spectral(int m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int mn = Math.min(m, n);
        double[] u = new double[m * mn], v = new double[n * mn];
        for (int i = 0; i < u.length; i++) u[i] = r.nextGaussian();
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        orthonormalizeColumns(u, m, mn);
        orthonormalizeColumns(v, n, mn);
        float[] w = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int t = 0; t < mn; t++) acc += u[i * mn + t] * v[j * mn + t] / (1.0 + t);
                w[i * n + j] = (float) acc;
            }
        return new Matrix(m, n, w);
    }

    private static void assertFactorization(Matrix w, SvdResult r, double tol) {
        for (int i = 0; i + 1 < r.k(); i++) assertTrue(r.s()[i] >= r.s()[i + 1], "s not descending at " + i);
        double err = 0;
        for (int a = 0; a < w.rows(); a++)
            for (int b = 0; b < w.cols(); b++) {
                double x = 0;
                for (int i = 0; i < r.k(); i++) x += r.u()[i][a] * r.s()[i] * r.v()[i][b];
                err = Math.max(err, Math.abs(x - w.get(a, b)));
            }
        assertTrue(err < tol, "reconstruction error " + err);
        for (int i = 0; i < r.k(); i++) assertEquals(1.0, dot(r.v()[i], r.v()[i]), 1e-4, "|v" + i + "|");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test void batchedSmallMatrices() {
        List<Matrix> ms = new ArrayList<>();
        for (int i = 0; i < 6; i++) ms.add(spectral(20, 12, i));
        try (CudaSvd svd = CudaSvd.exact(gpu)) {
            List<SvdResult> rs = svd.decomposeAll(ms);
            for (int i = 0; i < ms.size(); i++) {
                assertEquals(12, rs.get(i).k());
                assertFactorization(ms.get(i), rs.get(i), 1e-4);
                for (int t = 0; t < 12; t++) assertEquals(1.0 / (1 + t), rs.get(i).s()[t], 1e-4);
            }
        }
    }

    @Test void gesvdjOnAMediumMatrix() {
        Matrix w = spectral(150, 90, 7);
        try (CudaSvd svd = CudaSvd.exact(gpu)) {
            SvdResult r = svd.decompose(w);
            assertTrue(r.complete());
            assertFactorization(w, r, 1e-4);
            SvdResult cpu = io.geocont.linalg.svd.Svds.exact().decompose(w); // the CPU reference
            for (int i = 0; i < 5; i++) {
                assertEquals(cpu.s()[i], r.s()[i], 1e-4 * cpu.s()[0], "s" + i);
                assertEquals(1.0, Math.abs(dot(cpu.v()[i], r.v()[i])), 1e-3, "|cos| v" + i + " vs CPU");
                assertEquals(1.0, Math.abs(dot(cpu.u()[i], r.u()[i])), 1e-3, "|cos| u" + i + " vs CPU");
            }
        }
    }

    @Test void topKSubspaceIterationAgreesWithExact() {
        Matrix w = spectral(1300, 1100, 9);
        try (CudaSvd exact = CudaSvd.exact(gpu)) {
            SvdResult e = exact.decompose(w);
            SvdResult t = io.geocont.linalg.svd.Svds.plan(io.geocont.linalg.svd.Svds.Need.TOP_K, 4, 0, 0, gpu).svd().decompose(w);
            assertFalse(t.complete());
            for (int i = 0; i < 4; i++) {
                assertEquals(e.s()[i], t.s()[i], 1e-4 * e.s()[0]);
                assertEquals(1.0, Math.abs(dot(e.v()[i], t.v()[i])), 1e-3, "|cos| v" + i);
                assertEquals(1.0, Math.abs(dot(e.u()[i], t.u()[i])), 1e-3, "|cos| u" + i);
            }
        }
    }

    /** geocont analyze --backend cuda goes through SvdProvider: the backend's SVD must agree with the host's. */
    @Test void backendHandsOutItsSvdForTheAnalyzer() {
        Matrix w = spectral(1200, 1100, 11); // min side > EXACT_UP_TO: the GEMM subspace path
        SvdResult g = io.geocont.linalg.svd.Svds.plan(io.geocont.linalg.svd.Svds.Need.TOP_K, 2, 0, 0, (io.geocont.linalg.SvdProvider) gpu).svd().decompose(w);
        SvdResult h = io.geocont.linalg.svd.Svds.topK(2).decompose(w);
        for (int i = 0; i < 2; i++) {
            assertEquals(h.s()[i], g.s()[i], 1e-4 * h.s()[0], "s" + i);
            assertEquals(1.0, Math.abs(dot(h.v()[i], g.v()[i])), 1e-3, "|cos| v" + i);
            assertEquals(1.0, Math.abs(dot(h.u()[i], g.u()[i])), 1e-3, "|cos| u" + i);
        }
    }
}
