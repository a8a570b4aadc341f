package io.geocont.backend.cuda;

import io.geocont.bindings.cusolver.Cusolver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.geocont.backend.cuda.CudaErrors.checkCusolver;

/**
 * A cuSOLVER dense handle on one stream with a Jacobi-SVD parameter object (tolerance, sweeps).
 * Matrices are column-major device pointers, as cuSOLVER wants them.
 */
public final class CusolverHandle implements AutoCloseable {
    private final MemorySegment handle;
    private final MemorySegment params;

    public CusolverHandle(long stream, double tolerance, int maxSweeps) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            checkCusolver(Cusolver.cusolverDnCreate(p), "cusolverDnCreate");
            handle = p.get(ValueLayout.ADDRESS, 0);
            MemorySegment q = a.allocate(ValueLayout.ADDRESS);
            int st = Cusolver.cusolverDnCreateGesvdjInfo(q);
            if (st != 0) Cusolver.cusolverDnDestroy(handle);
            checkCusolver(st, "cusolverDnCreateGesvdjInfo");
            params = q.get(ValueLayout.ADDRESS, 0);
        }
        try {
            checkCusolver(Cusolver.cusolverDnSetStream(handle, MemorySegment.ofAddress(stream)), "cusolverDnSetStream");
            checkCusolver(Cusolver.cusolverDnXgesvdjSetTolerance(params, tolerance), "cusolverDnXgesvdjSetTolerance");
            checkCusolver(Cusolver.cusolverDnXgesvdjSetMaxSweeps(params, maxSweeps), "cusolverDnXgesvdjSetMaxSweeps");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Workspace floats for {@link #gesvdj}. */
    public int gesvdjBufferSize(int m, int n, long a, long s, long u, long v) {
        int mn = Math.min(m, n);
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment lw = ar.allocate(ValueLayout.JAVA_INT);
            checkCusolver(Cusolver.cusolverDnSgesvdj_bufferSize(handle, Cusolver.CUSOLVER_EIG_MODE_VECTOR(), 1, m, n,
                    ptr(a), m, ptr(s), ptr(u), m, ptr(v), n, lw, params), "cusolverDnSgesvdj_bufferSize(" + m + "x" + n + ")");
            return lw.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Economy Jacobi SVD of column-major A (m x n, lda m): U m x min(m,n), V n x min(m,n). A is overwritten. */
    public void gesvdj(int m, int n, long a, long s, long u, long v, long work, int lwork, long info) {
        checkCusolver(Cusolver.cusolverDnSgesvdj(handle, Cusolver.CUSOLVER_EIG_MODE_VECTOR(), 1, m, n, ptr(a), m, ptr(s),
                ptr(u), m, ptr(v), n, ptr(work), lwork, ptr(info), params), "cusolverDnSgesvdj(" + m + "x" + n + ")");
    }

    /** Workspace doubles for {@link #dgesvdj} (float64 twin of {@link #gesvdjBufferSize}). */
    public int dgesvdjBufferSize(int m, int n, long a, long s, long u, long v) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment lw = ar.allocate(ValueLayout.JAVA_INT);
            checkCusolver(Cusolver.cusolverDnDgesvdj_bufferSize(handle, Cusolver.CUSOLVER_EIG_MODE_VECTOR(), 1, m, n,
                    ptr(a), m, ptr(s), ptr(u), m, ptr(v), n, lw, params), "cusolverDnDgesvdj_bufferSize(" + m + "x" + n + ")");
            return lw.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Economy float64 Jacobi SVD of column-major A (m x n, lda m); A is overwritten. */
    public void dgesvdj(int m, int n, long a, long s, long u, long v, long work, int lwork, long info) {
        checkCusolver(Cusolver.cusolverDnDgesvdj(handle, Cusolver.CUSOLVER_EIG_MODE_VECTOR(), 1, m, n, ptr(a), m, ptr(s),
                ptr(u), m, ptr(v), n, ptr(work), lwork, ptr(info), params), "cusolverDnDgesvdj(" + m + "x" + n + ")");
    }

    public int gesvdjBatchedBufferSize(int m, int n, long a, long s, long u, long v, int batch) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment lw = ar.allocate(ValueLayout.JAVA_INT);
            checkCusolver(Cusolver.cusolverDnSgesvdjBatched_bufferSize(handle, Cusolver.CUSOLVER_EIG_MODE_VECTOR(), m, n,
                    ptr(a), m, ptr(s), ptr(u), m, ptr(v), n, lw, params, batch), "cusolverDnSgesvdjBatched_bufferSize");
            return lw.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * Batched full Jacobi SVD of {@code batch} column-major m x n matrices packed back to back
     * ({@code m, n <= 32}, cuSOLVER's limit): U m x m, V n x n per matrix, S min(m,n) per matrix.
     */
    public void gesvdjBatched(int m, int n, long a, long s, long u, long v, long work, int lwork, long info, int batch) {
        if (m > 32 || n > 32) throw new IllegalArgumentException("gesvdjBatched needs m, n <= 32, got " + m + "x" + n);
        checkCusolver(Cusolver.cusolverDnSgesvdjBatched(handle, Cusolver.CUSOLVER_EIG_MODE_VECTOR(), m, n, ptr(a), m, ptr(s),
                ptr(u), m, ptr(v), n, ptr(work), lwork, ptr(info), params, batch), "cusolverDnSgesvdjBatched(" + m + "x" + n + " x" + batch + ")");
    }

    private static MemorySegment ptr(long p) { return MemorySegment.ofAddress(p); }

    @Override public void close() {
        try {
            if (params != null) checkCusolver(Cusolver.cusolverDnDestroyGesvdjInfo(params), "cusolverDnDestroyGesvdjInfo");
        } finally {
            if (handle != null) checkCusolver(Cusolver.cusolverDnDestroy(handle), "cusolverDnDestroy");
        }
    }
}
