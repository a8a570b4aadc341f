package io.geocont.backend.cuda;

import io.geocont.bindings.cublas.Cublas;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.geocont.backend.cuda.CudaErrors.checkCublas;

/**
 * A cuBLAS handle bound to one stream and a fixed workspace, with row-major SGEMM.
 * Row-major C (m x n) is column-major C^T, and C^T = op(B)^T op(A)^T, so a row-major GEMM is a
 * column-major GEMM with A and B swapped, m and n swapped, and the same transpose flags.
 * alpha and beta live in host memory (the default pointer mode), in a segment owned here.
 */
public final class CublasHandle implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment alpha = arena.allocate(ValueLayout.JAVA_FLOAT);
    private final MemorySegment beta = arena.allocate(ValueLayout.JAVA_FLOAT);

    /** Creates the handle; {@code tf32} allows TF32 tensor-core math (off unless asked for). */
    public CublasHandle(long stream, long workspace, long workspaceBytes, boolean tf32) {
        MemorySegment h;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            int st = Cublas.cublasCreate_v2(p);
            if (st != 0) arena.close();
            checkCublas(st, "cublasCreate_v2");
            h = p.get(ValueLayout.ADDRESS, 0);
        }
        handle = h;
        try {
            checkCublas(Cublas.cublasSetStream_v2(handle, MemorySegment.ofAddress(stream)), "cublasSetStream_v2");
            if (workspace != 0)
                checkCublas(Cublas.cublasSetWorkspace_v2(handle, MemorySegment.ofAddress(workspace), workspaceBytes), "cublasSetWorkspace_v2");
            checkCublas(Cublas.cublasSetMathMode(handle, tf32 ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH() : Cublas.CUBLAS_DEFAULT_MATH()),
                    "cublasSetMathMode");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** cuBLAS version as an int (e.g. 130101). */
    public int version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            checkCublas(Cublas.cublasGetVersion_v2(handle, v), "cublasGetVersion_v2");
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * Row-major C = alpha op(A) op(B) + beta C on device pointers (already offset); lds in
     * elements. Leading dimensions of single-row operands are raised to the stored width,
     * which cuBLAS requires and which does not change addressing.
     */
    public void sgemmRowMajor(boolean transA, boolean transB, int m, int n, int k, float alphaV,
                              long a, int lda, long b, int ldb, float betaV, long c, int ldc,
                              long strideA, long strideB, long strideC, int batch) {
        ColMajor g = ColMajor.of(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        alpha.set(ValueLayout.JAVA_FLOAT, 0, alphaV);
        beta.set(ValueLayout.JAVA_FLOAT, 0, betaV);
        int opA = g.transA() ? Cublas.CUBLAS_OP_T() : Cublas.CUBLAS_OP_N();
        int opB = g.transB() ? Cublas.CUBLAS_OP_T() : Cublas.CUBLAS_OP_N();
        MemorySegment pa = MemorySegment.ofAddress(g.a()), pb = MemorySegment.ofAddress(g.b()), pc = MemorySegment.ofAddress(g.c());
        if (batch == 1) {
            checkCublas(Cublas.cublasSgemm_v2(handle, opA, opB, g.m(), g.n(), g.k(), alpha, pa, g.lda(), pb, g.ldb(), beta, pc, g.ldc()),
                    "cublasSgemm_v2(m=" + m + ", n=" + n + ", k=" + k + ")");
        } else { // the operands swap, so do their strides
            checkCublas(Cublas.cublasSgemmStridedBatched(handle, opA, opB, g.m(), g.n(), g.k(), alpha, pa, g.lda(), strideB,
                    pb, g.ldb(), strideA, beta, pc, g.ldc(), strideC, batch),
                    "cublasSgemmStridedBatched(m=" + m + ", n=" + n + ", k=" + k + ", batch=" + batch + ")");
        }
    }

    /**
     * The column-major GEMM that computes a row-major one: C^T = op(B)^T op(A)^T, i.e. swap
     * the operands and m with n, keep the transpose flags. Leading dimensions of single-row
     * operands are raised to the stored width (cuBLAS requires ld >= rows of its view; the
     * value is never used for addressing then). Pure, so it is tested without a GPU.
     */
    record ColMajor(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
        static ColMajor of(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb, long c, int ldc) {
            int ldA = Math.max(Math.max(1, lda), transA ? m : k);
            int ldB = Math.max(Math.max(1, ldb), transB ? k : n);
            int ldC = Math.max(Math.max(1, ldc), n);
            return new ColMajor(transB, transA, n, m, k, b, ldB, a, ldA, c, ldC);
        }
    }

    @Override public void close() {
        try {
            if (handle != null) checkCublas(Cublas.cublasDestroy_v2(handle), "cublasDestroy_v2");
        } finally {
            if (arena.scope().isAlive()) arena.close();
        }
    }
}
