package io.geocont.backend.cuda;

import io.geocont.bindings.cudart.CudaRt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.geocont.backend.cuda.CudaErrors.checkRuntime;

/**
 * The CUDA runtime calls we use, each status-checked (a failure throws {@link CudaException}
 * naming the call). Device pointers travel as {@code long} addresses; 0 is null. Call only
 * after {@link CudaLibraries#load()} reported cudart loaded.
 */
public final class CudaRuntime {
    private CudaRuntime() { }

    /** Raw status of cudaGetDeviceCount (35 = insufficient driver, 100 = no device) and the count. */
    public static int[] deviceCountRaw() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(ValueLayout.JAVA_INT);
            int st = CudaRt.cudaGetDeviceCount(n);
            return new int[]{st, st == 0 ? n.get(ValueLayout.JAVA_INT, 0) : 0};
        }
    }

    public static int runtimeVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            checkRuntime(CudaRt.cudaRuntimeGetVersion(v), "cudaRuntimeGetVersion");
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** The CUDA version the installed driver supports (0 when no driver is installed). */
    public static int driverVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            checkRuntime(CudaRt.cudaDriverGetVersion(v), "cudaDriverGetVersion");
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    public static void setDevice(int device) { checkRuntime(CudaRt.cudaSetDevice(device), "cudaSetDevice(" + device + ")"); }

    public static int attribute(int attr, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            checkRuntime(CudaRt.cudaDeviceGetAttribute(v, attr, device), "cudaDeviceGetAttribute(" + attr + ")");
            return v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** {free, total} bytes on the current device. */
    public static long[] memInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(ValueLayout.JAVA_LONG), t = a.allocate(ValueLayout.JAVA_LONG);
            checkRuntime(CudaRt.cudaMemGetInfo(f, t), "cudaMemGetInfo");
            return new long[]{f.get(ValueLayout.JAVA_LONG, 0), t.get(ValueLayout.JAVA_LONG, 0)};
        }
    }

    /** Allocates bytes of device memory; out of memory reports the request and the free memory. */
    public static long malloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            int st = CudaRt.cudaMalloc(p, Math.max(1, bytes));
            if (st == CudaRt.cudaErrorMemoryAllocation()) {
                CudaRt.cudaGetLastError(); // reset the last-error slot (allocation failures are not sticky)
                String free;
                try {
                    long[] mi = memInfo();
                    free = mi[0] + " bytes free of " + mi[1];
                } catch (CudaException e) {
                    free = "free memory unknown";
                }
                throw new CudaException("cudaMalloc(" + bytes + " bytes; " + free + ")", st,
                        CudaErrors.runtimeName(st), "out of device memory");
            }
            checkRuntime(st, "cudaMalloc(" + bytes + " bytes)");
            return p.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    public static void free(long ptr) {
        if (ptr != 0) checkRuntime(CudaRt.cudaFree(MemorySegment.ofAddress(ptr)), "cudaFree");
    }

    public static long streamCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            checkRuntime(CudaRt.cudaStreamCreate(p), "cudaStreamCreate");
            return p.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    public static void streamDestroy(long stream) {
        if (stream != 0) checkRuntime(CudaRt.cudaStreamDestroy(MemorySegment.ofAddress(stream)), "cudaStreamDestroy");
    }

    public static void streamSynchronize(long stream, String after) {
        checkRuntime(CudaRt.cudaStreamSynchronize(MemorySegment.ofAddress(stream)), "cudaStreamSynchronize (after " + after + ")");
    }

    public static void memsetAsync(long ptr, int value, long bytes, long stream) {
        checkRuntime(CudaRt.cudaMemsetAsync(MemorySegment.ofAddress(ptr), value, bytes, MemorySegment.ofAddress(stream)),
                "cudaMemsetAsync(" + bytes + " bytes)");
    }

    /** Host segment to device; synchronous with respect to the host buffer. */
    public static void copyToDevice(long dst, MemorySegment src, long bytes, long stream) {
        checkRuntime(CudaRt.cudaMemcpyAsync(MemorySegment.ofAddress(dst), src, bytes, CudaRt.cudaMemcpyHostToDevice(),
                MemorySegment.ofAddress(stream)), "cudaMemcpyAsync(host to device, " + bytes + " bytes)");
        streamSynchronize(stream, "host to device copy");
    }

    /** Device to host segment; waits for the copy (and every earlier op on the stream). */
    public static void copyToHost(MemorySegment dst, long src, long bytes, long stream) {
        checkRuntime(CudaRt.cudaMemcpyAsync(dst, MemorySegment.ofAddress(src), bytes, CudaRt.cudaMemcpyDeviceToHost(),
                MemorySegment.ofAddress(stream)), "cudaMemcpyAsync(device to host, " + bytes + " bytes)");
        streamSynchronize(stream, "device to host copy");
    }

    public static void copyDeviceAsync(long dst, long src, long bytes, long stream) {
        checkRuntime(CudaRt.cudaMemcpyAsync(MemorySegment.ofAddress(dst), MemorySegment.ofAddress(src), bytes,
                CudaRt.cudaMemcpyDeviceToDevice(), MemorySegment.ofAddress(stream)), "cudaMemcpyAsync(device to device, " + bytes + " bytes)");
    }
}
