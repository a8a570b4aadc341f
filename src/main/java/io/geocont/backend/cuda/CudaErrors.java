package io.geocont.backend.cuda;

import io.geocont.bindings.cublas.Cublas;
import io.geocont.bindings.cuda.CuDriver;
import io.geocont.bindings.cudart.CudaRt;
import io.geocont.bindings.cusolver.Cusolver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * Status codes to names, for error messages. The tables are built from the constants jextract
 * generated from the headers (so they need no library); when a library is loaded its own
 * string functions (cudaGetErrorString, cublasGetStatusString, cuGetErrorString) add the
 * description. cuSOLVER has no string function: its names come from cusolver_common.h only.
 */
public final class CudaErrors {
    private CudaErrors() { }

    private static final Map<Integer, String> RUNTIME = new TreeMap<>(Map.of(
            CudaRt.cudaSuccess(), "cudaSuccess",
            CudaRt.cudaErrorInvalidValue(), "cudaErrorInvalidValue",
            CudaRt.cudaErrorMemoryAllocation(), "cudaErrorMemoryAllocation",
            CudaRt.cudaErrorInitializationError(), "cudaErrorInitializationError",
            CudaRt.cudaErrorInsufficientDriver(), "cudaErrorInsufficientDriver",
            CudaRt.cudaErrorNoDevice(), "cudaErrorNoDevice",
            CudaRt.cudaErrorNoKernelImageForDevice(), "cudaErrorNoKernelImageForDevice",
            CudaRt.cudaErrorUnsupportedPtxVersion(), "cudaErrorUnsupportedPtxVersion",
            CudaRt.cudaErrorIllegalAddress(), "cudaErrorIllegalAddress",
            CudaRt.cudaErrorLaunchFailure(), "cudaErrorLaunchFailure"));

    private static final Map<Integer, String> DRIVER = new TreeMap<>(Map.of(
            CuDriver.CUDA_SUCCESS(), "CUDA_SUCCESS",
            CuDriver.CUDA_ERROR_NO_DEVICE(), "CUDA_ERROR_NO_DEVICE",
            CuDriver.CUDA_ERROR_NO_BINARY_FOR_GPU(), "CUDA_ERROR_NO_BINARY_FOR_GPU",
            CuDriver.CUDA_ERROR_UNSUPPORTED_PTX_VERSION(), "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
            CuDriver.CUDA_ERROR_NOT_FOUND(), "CUDA_ERROR_NOT_FOUND"));

    private static final Map<Integer, String> CUBLAS = new TreeMap<>(Map.of(
            Cublas.CUBLAS_STATUS_SUCCESS(), "CUBLAS_STATUS_SUCCESS",
            Cublas.CUBLAS_STATUS_NOT_INITIALIZED(), "CUBLAS_STATUS_NOT_INITIALIZED",
            Cublas.CUBLAS_STATUS_ALLOC_FAILED(), "CUBLAS_STATUS_ALLOC_FAILED",
            Cublas.CUBLAS_STATUS_INVALID_VALUE(), "CUBLAS_STATUS_INVALID_VALUE",
            Cublas.CUBLAS_STATUS_ARCH_MISMATCH(), "CUBLAS_STATUS_ARCH_MISMATCH",
            Cublas.CUBLAS_STATUS_MAPPING_ERROR(), "CUBLAS_STATUS_MAPPING_ERROR",
            Cublas.CUBLAS_STATUS_EXECUTION_FAILED(), "CUBLAS_STATUS_EXECUTION_FAILED",
            Cublas.CUBLAS_STATUS_INTERNAL_ERROR(), "CUBLAS_STATUS_INTERNAL_ERROR",
            Cublas.CUBLAS_STATUS_NOT_SUPPORTED(), "CUBLAS_STATUS_NOT_SUPPORTED",
            Cublas.CUBLAS_STATUS_LICENSE_ERROR(), "CUBLAS_STATUS_LICENSE_ERROR"));

    private static final Map<Integer, String> CUSOLVER = new TreeMap<>();
    static {
        int[] codes = {Cusolver.CUSOLVER_STATUS_SUCCESS(), Cusolver.CUSOLVER_STATUS_NOT_INITIALIZED(),
                Cusolver.CUSOLVER_STATUS_ALLOC_FAILED(), Cusolver.CUSOLVER_STATUS_INVALID_VALUE(),
                Cusolver.CUSOLVER_STATUS_ARCH_MISMATCH(), Cusolver.CUSOLVER_STATUS_MAPPING_ERROR(),
                Cusolver.CUSOLVER_STATUS_EXECUTION_FAILED(), Cusolver.CUSOLVER_STATUS_INTERNAL_ERROR(),
                Cusolver.CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED(), Cusolver.CUSOLVER_STATUS_NOT_SUPPORTED(),
                Cusolver.CUSOLVER_STATUS_ZERO_PIVOT(), Cusolver.CUSOLVER_STATUS_INVALID_LICENSE(),
                Cusolver.CUSOLVER_STATUS_INVALID_WORKSPACE()};
        String[] names = {"CUSOLVER_STATUS_SUCCESS", "CUSOLVER_STATUS_NOT_INITIALIZED", "CUSOLVER_STATUS_ALLOC_FAILED",
                "CUSOLVER_STATUS_INVALID_VALUE", "CUSOLVER_STATUS_ARCH_MISMATCH", "CUSOLVER_STATUS_MAPPING_ERROR",
                "CUSOLVER_STATUS_EXECUTION_FAILED", "CUSOLVER_STATUS_INTERNAL_ERROR",
                "CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED", "CUSOLVER_STATUS_NOT_SUPPORTED", "CUSOLVER_STATUS_ZERO_PIVOT",
                "CUSOLVER_STATUS_INVALID_LICENSE", "CUSOLVER_STATUS_INVALID_WORKSPACE"};
        for (int i = 0; i < codes.length; i++) CUSOLVER.put(codes[i], names[i]);
    }

    /** Name of a cudaError_t, from the header table, else from libcudart when loaded. */
    public static String runtimeName(int status) {
        String n = RUNTIME.get(status);
        if (n != null) return n;
        if (CudaLibraries.isLoaded("cudart")) return cString(CudaRt.cudaGetErrorName(status));
        return "cudaError " + status;
    }

    public static String driverName(int status) {
        String n = DRIVER.get(status);
        if (n != null) return n;
        if (CudaLibraries.isLoaded("cuda")) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(ValueLayout.ADDRESS);
                if (CuDriver.cuGetErrorName(status, p) == 0) return cString(p.get(ValueLayout.ADDRESS, 0));
            }
        }
        return "CUresult " + status;
    }

    public static String cublasName(int status) {
        return CUBLAS.getOrDefault(status, "cublasStatus " + status);
    }

    public static String cusolverName(int status) {
        return CUSOLVER.getOrDefault(status, "cusolverStatus " + status);
    }

    /** Throws a {@link CudaException} unless status is cudaSuccess. */
    public static void checkRuntime(int status, String call) {
        if (status == 0) return;
        String desc = CudaLibraries.isLoaded("cudart") ? cString(CudaRt.cudaGetErrorString(status)) : null;
        throw new CudaException(call, status, runtimeName(status), desc);
    }

    public static void checkDriver(int status, String call) {
        if (status == 0) return;
        String desc = null;
        if (CudaLibraries.isLoaded("cuda")) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(ValueLayout.ADDRESS);
                if (CuDriver.cuGetErrorString(status, p) == 0) desc = cString(p.get(ValueLayout.ADDRESS, 0));
            }
        }
        throw new CudaException(call, status, driverName(status), desc);
    }

    public static void checkCublas(int status, String call) {
        if (status == 0) return;
        String desc = CudaLibraries.isLoaded("cublas") ? cString(Cublas.cublasGetStatusString(status)) : null;
        throw new CudaException(call, status, cublasName(status), desc);
    }

    public static void checkCusolver(int status, String call) {
        if (status == 0) return;
        throw new CudaException(call, status, cusolverName(status), null);
    }

    /** A NUL-terminated C string owned by the library (never freed by us). */
    static String cString(MemorySegment p) {
        if (p == null || p.equals(MemorySegment.NULL)) return "";
        return p.reinterpret(4096).getString(0);
    }
}
