package io.geocont.backend.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Downcalls for cuSOLVER's float64 Jacobi SVD ({@code cusolverDnDgesvdj} and its buffer-size
 * query), written by hand in the shape jextract gives the float32 ones in
 * {@code io.geocont.bindings.cusolver.Cusolver}. Why float64: float32 gesvdj was measured on an
 * H100 to lose about 2e-4 of relative accuracy in s1 on a 1300 x 1100 matrix (error accumulated
 * over the rotations), which is not "exact". Fold these two functions into
 * {@code bindings/cusolver.args} at the next jextract regeneration and delete this class.
 * Resolved lazily (first use), after {@link CudaLibraries} has loaded libcusolver, so a missing
 * library never breaks class initialization.
 */
final class CusolverDoubleCalls {
    private static final FunctionDescriptor BUFFER_SIZE = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
            JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor GESVDJ = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
            JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);

    private static volatile MethodHandle bufferSize, gesvdj;

    private CusolverDoubleCalls() {}

    private static MethodHandle find(String name, FunctionDescriptor d) {
        MemorySegment addr = SymbolLookup.loaderLookup().find(name)
                .orElseThrow(() -> new IllegalStateException(name + " not found in the loaded libcusolver"));
        return Linker.nativeLinker().downcallHandle(addr, d);
    }

    /** cusolverDnDgesvdj_bufferSize(handle, jobz, econ, m, n, A, lda, S, U, ldu, V, ldv, *lwork, params). */
    static int bufferSize(MemorySegment handle, int jobz, int econ, int m, int n, MemorySegment a, int lda,
                          MemorySegment s, MemorySegment u, int ldu, MemorySegment v, int ldv, MemorySegment lwork,
                          MemorySegment params) {
        if (bufferSize == null) bufferSize = find("cusolverDnDgesvdj_bufferSize", BUFFER_SIZE);
        try {
            return (int) bufferSize.invokeExact(handle, jobz, econ, m, n, a, lda, s, u, ldu, v, ldv, lwork, params);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** cusolverDnDgesvdj(handle, jobz, econ, m, n, A, lda, S, U, ldu, V, ldv, work, lwork, info, params). */
    static int gesvdj(MemorySegment handle, int jobz, int econ, int m, int n, MemorySegment a, int lda,
                      MemorySegment s, MemorySegment u, int ldu, MemorySegment v, int ldv, MemorySegment work,
                      int lwork, MemorySegment info, MemorySegment params) {
        if (gesvdj == null) gesvdj = find("cusolverDnDgesvdj", GESVDJ);
        try {
            return (int) gesvdj.invokeExact(handle, jobz, econ, m, n, a, lda, s, u, ldu, v, ldv, work, lwork, info, params);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
