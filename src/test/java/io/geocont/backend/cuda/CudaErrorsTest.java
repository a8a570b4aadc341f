package io.geocont.backend.cuda;

import io.geocont.bindings.cublas.Cublas;
import io.geocont.bindings.cudart.CudaRt;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Status codes to names (from the generated header constants) and to exceptions naming the call. */
class CudaErrorsTest {

    @Test
    void runtimeCodesHaveTheirHeaderNames() {
        assertEquals(35, CudaRt.cudaErrorInsufficientDriver());
        assertEquals("cudaErrorInsufficientDriver", CudaErrors.runtimeName(35));
        assertEquals("cudaErrorMemoryAllocation", CudaErrors.runtimeName(2));
        assertEquals("cudaErrorNoDevice", CudaErrors.runtimeName(100));
        assertEquals("cudaErrorNoKernelImageForDevice", CudaErrors.runtimeName(209));
    }

    @Test
    void cublasAndCusolverCodesHaveTheirHeaderNames() {
        assertEquals("CUBLAS_STATUS_NOT_INITIALIZED", CudaErrors.cublasName(1));
        assertEquals("CUBLAS_STATUS_ALLOC_FAILED", CudaErrors.cublasName(3));
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", CudaErrors.cublasName(7));
        assertEquals("CUBLAS_STATUS_EXECUTION_FAILED", CudaErrors.cublasName(13));
        assertEquals("cublasStatus 99", CudaErrors.cublasName(99));
        assertEquals("CUSOLVER_STATUS_EXECUTION_FAILED", CudaErrors.cusolverName(6));
        assertEquals("CUSOLVER_STATUS_INVALID_WORKSPACE", CudaErrors.cusolverName(31));
        assertEquals("CUDA_ERROR_NO_BINARY_FOR_GPU", CudaErrors.driverName(209));
    }

    @Test
    void failedStatusBecomesAnExceptionNamingTheCall() {
        CudaException e = assertThrows(CudaException.class, () -> CudaErrors.checkRuntime(2, "cudaMalloc(1024 bytes)"));
        assertTrue(e.getMessage().startsWith("cudaMalloc(1024 bytes) failed: 2 cudaErrorMemoryAllocation"), e.getMessage());
        assertEquals(2, e.status());
        CudaException b = assertThrows(CudaException.class, () -> CudaErrors.checkCublas(7, "cublasSgemm_v2(m=1, n=2, k=3)"));
        assertTrue(b.getMessage().startsWith("cublasSgemm_v2(m=1, n=2, k=3) failed: 7 CUBLAS_STATUS_INVALID_VALUE"), b.getMessage());
        CudaException s = assertThrows(CudaException.class, () -> CudaErrors.checkCusolver(3, "cusolverDnSgesvdj(4x4)"));
        assertEquals("cusolverDnSgesvdj(4x4) failed: 3 CUSOLVER_STATUS_INVALID_VALUE", s.getMessage());
        assertDoesNotThrow(() -> CudaErrors.checkRuntime(0, "ok"));
    }

    @Test
    void loadedRuntimeAddsItsOwnDescription() {
        CudaLibraries.load();
        assumeTrue(CudaLibraries.isLoaded("cudart"), "libcudart not found here: " + CudaLibraries.load().tried());
        CudaException e = assertThrows(CudaException.class, () -> CudaErrors.checkRuntime(35, "cudaSetDevice(0)"));
        assertTrue(e.getMessage().startsWith("cudaSetDevice(0) failed: 35 cudaErrorInsufficientDriver: "), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("driver"), e.getMessage());
    }

    @Test
    void cublasHandleWithoutADriverFailsWithItsStatusName() {
        CudaLibraries.load();
        assumeTrue(CudaLibraries.isLoaded("cublas"), "cuBLAS not found (unzip the wheel into .cache, native/README.md): "
                + CudaLibraries.load().tried());
        assumeTrue(CudaRuntime.deviceCountRaw()[0] != 0, "a GPU is present: cublasCreate would succeed");
        CudaException e = assertThrows(CudaException.class, () -> new CublasHandle(0, 0, 0, false));
        assertTrue(e.getMessage().startsWith("cublasCreate_v2 failed: " + Cublas.CUBLAS_STATUS_NOT_INITIALIZED()
                + " CUBLAS_STATUS_NOT_INITIALIZED"), e.getMessage());
    }

    @Test
    void cusolverHandleWithoutADriverFailsWithItsStatusName() {
        CudaLibraries.load();
        assumeTrue(CudaLibraries.isLoaded("cusolver"), "cuSOLVER not found (unzip the wheel into .cache, native/README.md): "
                + CudaLibraries.load().tried());
        assumeTrue(CudaRuntime.deviceCountRaw()[0] != 0, "a GPU is present: cusolverDnCreate would succeed");
        CudaException e = assertThrows(CudaException.class, () -> new CusolverHandle(0, 1e-7, 10));
        assertTrue(e.getMessage().startsWith("cusolverDnCreate failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("CUSOLVER_STATUS_"), e.getMessage());
    }
}
