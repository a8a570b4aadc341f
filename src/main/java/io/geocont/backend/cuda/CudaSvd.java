package io.geocont.backend.cuda;

import io.geocont.linalg.svd.Svds;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;
import io.geocont.backend.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SVD on the GPU, for the analysis side ({@link Svd}).
 * <ul>
 *   <li>exact, m and n {@code <=} 32: cuSOLVER gesvdjBatched (its size limit), many same-shape matrices
 *       in one call through {@link #decomposeAll};</li>
 *   <li>exact, larger: cuSOLVER float64 gesvdj (economy, Jacobi).</li>
 * </ul>
 * The leading triplets of large matrices are not computed here: the shared top-k algorithm
 * ({@code Svds.topK}) runs on the device's GEMMs through {@link CudaGramOperator}.
 * Row-major W (m x n) is column-major W^T, so cuSOLVER factors W^T = U' S V'^T and we read
 * u_i(W) from V' and v_i(W) from U'. Results are float64 vectors; signs are arbitrary.
 */
public final class CudaSvd implements Svd, AutoCloseable {
    private final CudaBackend backend;
    private CusolverHandle solver;

    private CudaSvd(CudaBackend backend) {
        if (!CudaLibraries.isLoaded("cusolver")) throw new IllegalStateException("cuSOLVER is not loaded: " + CudaLibraries.load().summary());
        this.backend = backend;
    }

    /** Every singular triplet. */
    public static CudaSvd exact(CudaBackend backend) { return new CudaSvd(backend); }

    private CusolverHandle solver() {
        if (solver == null) solver = new CusolverHandle(backend.stream(), 1e-7, 100);
        return solver;
    }

    @Override public SvdResult decompose(Matrix a) {
        int mn = Math.min(a.rows(), a.cols());
        if (mn == 0) return new SvdResult(a.rows(), a.cols(), new double[0], new double[0][], new double[0][], 0, true);
        if (a.rows() <= 32 && a.cols() <= 32) return decomposeAll(List.of(a)).get(0);
        return gesvdj(a);
    }

    /** Batched exact SVD of same-shape matrices with {@code m, n <= 32} (one gesvdjBatched call). */
    public List<SvdResult> decomposeAll(List<Matrix> mats) {
        if (mats.isEmpty()) return List.of();
        int m = mats.get(0).rows(), n = mats.get(0).cols(), batch = mats.size();
        for (Matrix x : mats)
            if (x.rows() != m || x.cols() != n) throw new IllegalArgumentException("decomposeAll: every matrix must be " + m + "x" + n + ", got " + x);
        if (m > 32 || n > 32) {
            List<SvdResult> out = new ArrayList<>();
            for (Matrix x : mats) out.add(decompose(x));
            return out;
        }
        int rm = n, rn = m, mn = Math.min(m, n); // cuSOLVER's view: W^T is n x m
        float[] packed = new float[m * n * batch];
        for (int b = 0; b < batch; b++) System.arraycopy(mats.get(b).data(), 0, packed, b * m * n, m * n);
        try (Tensor ta = backend.fromArray(packed, batch, m * n); Tensor ts = backend.zeros(batch, mn);
             Tensor tu = backend.zeros(batch, rm * rm); Tensor tv = backend.zeros(batch, rn * rn); Tensor info = backend.zeros(batch)) {
            CudaTensor a = (CudaTensor) ta, s = (CudaTensor) ts, u = (CudaTensor) tu, v = (CudaTensor) tv;
            int lwork = solver().gesvdjBatchedBufferSize(rm, rn, a.ptr(), s.ptr(), u.ptr(), v.ptr(), batch);
            try (Tensor work = backend.zeros(Math.max(1, lwork))) {
                solver().gesvdjBatched(rm, rn, a.ptr(), s.ptr(), u.ptr(), v.ptr(), ((CudaTensor) work).ptr(), lwork,
                        ((CudaTensor) info).ptr(), batch);
                float[] sv = s.toArray(), uv = u.toArray(), vv = v.toArray();
                checkInfo("cusolverDnSgesvdjBatched", info.toArray());
                List<SvdResult> out = new ArrayList<>();
                for (int b = 0; b < batch; b++) {
                    double[] sb = new double[mn];
                    double[][] uu = new double[mn][], vvv = new double[mn][];
                    for (int i = 0; i < mn; i++) {
                        sb[i] = sv[b * mn + i];
                        vvv[i] = column(uv, b * rm * rm, rm, i); // U' columns: v_i of W
                        uu[i] = column(vv, b * rn * rn, rn, i);  // V' columns: u_i of W
                    }
                    out.add(sorted(m, n, sb, uu, vvv, mats.get(b).frobeniusSq()));
                }
                return out;
            }
        }
    }

    /**
     * Exact SVD with cuSOLVER's float64 Jacobi (float32 gesvdj drifts by ~1e-4 relative at
     * n ~ 1000). Raw float64 device buffers, all freed on every path.
     */
    private SvdResult gesvdj(Matrix w) {
        int m = w.rows(), n = w.cols(), rm = n, rn = m, mn = Math.min(m, n);
        long stream = backend.stream();
        long[] bufs = new long[6]; // a, s, u, v, info, work
        try (Arena ar = Arena.ofConfined()) {
            long cells = (long) m * n;
            MemorySegment host = ar.allocate(ValueLayout.JAVA_DOUBLE, cells);
            float[] data = w.data();
            for (long i = 0; i < cells; i++) host.setAtIndex(ValueLayout.JAVA_DOUBLE, i, data[(int) i]);
            bufs[0] = CudaRuntime.malloc(8 * cells);
            bufs[1] = CudaRuntime.malloc(8L * mn);
            bufs[2] = CudaRuntime.malloc(8L * rm * mn);
            bufs[3] = CudaRuntime.malloc(8L * rn * mn);
            bufs[4] = CudaRuntime.malloc(4);
            CudaRuntime.copyToDevice(bufs[0], host, 8 * cells, stream);
            int lwork = solver().dgesvdjBufferSize(rm, rn, bufs[0], bufs[1], bufs[2], bufs[3]);
            bufs[5] = CudaRuntime.malloc(8L * Math.max(1, lwork));
            solver().dgesvdj(rm, rn, bufs[0], bufs[1], bufs[2], bufs[3], bufs[5], lwork, bufs[4]);
            MemorySegment hs = ar.allocate(ValueLayout.JAVA_DOUBLE, mn), hu = ar.allocate(ValueLayout.JAVA_DOUBLE, (long) rm * mn),
                    hv = ar.allocate(ValueLayout.JAVA_DOUBLE, (long) rn * mn), hi = ar.allocate(ValueLayout.JAVA_INT);
            CudaRuntime.copyToHost(hs, bufs[1], 8L * mn, stream);
            CudaRuntime.copyToHost(hu, bufs[2], 8L * rm * mn, stream);
            CudaRuntime.copyToHost(hv, bufs[3], 8L * rn * mn, stream);
            CudaRuntime.copyToHost(hi, bufs[4], 4, stream);
            checkInfo("cusolverDnDgesvdj", new float[]{Float.intBitsToFloat(hi.get(ValueLayout.JAVA_INT, 0))});
            double[] sd = hs.toArray(ValueLayout.JAVA_DOUBLE);
            double[][] uu = new double[mn][], vvv = new double[mn][];
            for (int i = 0; i < mn; i++) {
                vvv[i] = hu.asSlice(8L * rm * i, 8L * rm).toArray(ValueLayout.JAVA_DOUBLE); // U' columns are v_i(W)
                uu[i] = hv.asSlice(8L * rn * i, 8L * rn).toArray(ValueLayout.JAVA_DOUBLE);  // V' columns are u_i(W)
            }
            return sorted(m, n, sd, uu, vvv, w.frobeniusSq());
        } finally {
            for (long b : bufs) {
                try {
                    CudaRuntime.free(b);
                } catch (CudaException e) {
                    // keep freeing the rest; the first error is already on its way up
                }
            }
        }
    }

    private static double[] column(float[] colMajor, int off, int ld, int i) {
        double[] c = new double[ld];
        for (int t = 0; t < ld; t++) c[t] = colMajor[off + i * ld + t];
        return c;
    }

    private static void checkInfo(String call, float[] info) {
        for (int b = 0; b < info.length; b++) {
            int code = Float.floatToRawIntBits(info[b]);
            if (code != 0)
                throw new CudaException(call + " (matrix " + b + ")", code, code < 0 ? "invalid parameter " + (-code)
                        : "did not converge", code > 0 ? "raise the sweep limit or check the input for NaN/Inf" : null);
        }
    }

    private static SvdResult sorted(int m, int n, double[] s, double[][] u, double[][] v, double fro) {
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < s.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
        double[] so = new double[s.length];
        double[][] uo = new double[s.length][], vo = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            so[i] = s[order[i]];
            uo[i] = u[order[i]];
            vo[i] = v[order[i]];
        }
        return new SvdResult(m, n, so, uo, vo, fro, true);
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    private static double[] toDoubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    @Override public void close() {
        if (solver != null) solver.close();
        solver = null;
    }
}
