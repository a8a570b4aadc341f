package io.geocont.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * Our kernels (kernels/*.cu), compiled by nvcc into the fatbin the jar carries
 * ({@value #RESOURCE}) and loaded once with cuModuleLoadData; launched with cuLaunchKernel.
 *
 * <p>Arguments are staged in one reused native buffer (8 bytes per argument plus the pointer
 * array cuLaunchKernel wants), so a launch allocates nothing. cuLaunchKernel copies the
 * values before it returns, so the buffer can be refilled at once. Not thread-safe: a backend
 * issues launches from one thread at a time.
 */
public final class CudaKernels implements AutoCloseable {
    public static final String RESOURCE = "/io/geocont/backend/cuda/geocont_kernels.fatbin";
    public static final int BLOCK = 256;
    private static final int MAX_ARGS = 16;

    private final long module;
    private final long stream;
    private final Map<String, Long> functions = new HashMap<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment values = arena.allocate(8L * MAX_ARGS, 8);
    private final MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, MAX_ARGS);
    private int count;
    private String pending;

    /** True when this build carries the fatbin (nvcc was present when it was built). */
    public static boolean built() { return CudaKernels.class.getResource(RESOURCE) != null; }

    /** The fatbin's bytes, or null when this build has none. */
    static byte[] image() throws IOException {
        try (InputStream in = CudaKernels.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Loads the module into the current context; kernels are resolved on first use. */
    public CudaKernels(long stream) {
        this.stream = stream;
        byte[] img;
        try {
            img = image();
        } catch (IOException e) {
            arena.close();
            throw new IllegalStateException("cannot read the kernel fatbin " + RESOURCE + ": " + e.getMessage(), e);
        }
        if (img == null) {
            arena.close();
            throw new IllegalStateException("kernels not built: " + RESOURCE + " is missing from this build (nvcc was not"
                    + " found when it was built; see native/README.md)");
        }
        try {
            module = CudaDriver.moduleLoadData(img);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        for (int i = 0; i < MAX_ARGS; i++) pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(8L * i, 8));
    }

    /** Starts a launch of kernel {@code name}; add arguments in the kernel's order, then {@link #go}. */
    public CudaKernels call(String name) {
        pending = name;
        count = 0;
        return this;
    }

    private MemorySegment slot() {
        if (count == MAX_ARGS) throw new IllegalStateException(pending + ": more than " + MAX_ARGS + " kernel arguments");
        return values.asSlice(8L * count++, 8);
    }

    public CudaKernels ptr(long devicePtr) { slot().set(ValueLayout.JAVA_LONG, 0, devicePtr); return this; }
    public CudaKernels i32(int v) { slot().set(ValueLayout.JAVA_INT, 0, v); return this; }
    public CudaKernels i64(long v) { slot().set(ValueLayout.JAVA_LONG, 0, v); return this; }
    public CudaKernels f32(float v) { slot().set(ValueLayout.JAVA_FLOAT, 0, v); return this; }

    /** Launches on the backend's stream with a gx x gy grid of BLOCK-thread blocks. */
    public void go(long gx, int gy) {
        if (gx <= 0 || gy <= 0) return; // nothing to do (empty tensor)
        long f = functions.computeIfAbsent(pending, n -> CudaDriver.function(module, n));
        CudaDriver.launch(f, pending, (int) Math.min(gx, Integer.MAX_VALUE), gy, BLOCK, stream, pointers);
    }

    /** Blocks for a grid-stride loop over n elements (capped: each thread then does several). */
    public static long gridFor(long n) { return Math.min(Math.max(1, (n + BLOCK - 1) / BLOCK), 65535L * 8); }

    @Override public void close() {
        try {
            CudaDriver.moduleUnload(module);
        } finally {
            arena.close();
        }
    }
}
