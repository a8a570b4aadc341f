package io.geocont.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Our kernels (kernels/*.cu), compiled by nvcc into the fatbin the jar carries
 * ({@value #RESOURCE}) and loaded once with cuModuleLoadData; launched with cuLaunchKernel.
 *
 * <p>Arguments are staged in one reused {@link KernelArgs} block, so a launch allocates
 * nothing. Not thread-safe: a backend issues launches from one thread at a time.
 */
public final class CudaKernels implements AutoCloseable {
    public static final String RESOURCE = "/io/geocont/backend/cuda/geocont_kernels.fatbin";
    public static final int BLOCK = 256;

    private final long module;
    private final long stream;
    private final Map<String, Long> functions = new HashMap<>();
    private final KernelArgs args = new KernelArgs();
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
            args.close();
            throw new IllegalStateException("cannot read the kernel fatbin " + RESOURCE + ": " + e.getMessage(), e);
        }
        if (img == null) {
            args.close();
            throw new IllegalStateException("kernels not built: " + RESOURCE + " is missing from this build (nvcc was not"
                    + " found when it was built; see native/README.md)");
        }
        try {
            module = CudaDriver.moduleLoadData(img);
        } catch (RuntimeException e) {
            args.close();
            throw e;
        }
    }

    /** Starts a launch of kernel {@code name}; add arguments in the kernel's order, then {@link #go}. */
    public CudaKernels call(String name) {
        pending = name;
        args.reset(name);
        return this;
    }

    public CudaKernels ptr(long devicePtr) { args.ptr(devicePtr); return this; }
    public CudaKernels i32(int v) { args.i32(v); return this; }
    public CudaKernels i64(long v) { args.i64(v); return this; }
    public CudaKernels f32(float v) { args.f32(v); return this; }

    /** Launches on the backend's stream with a gx x gy grid of BLOCK-thread blocks. */
    public void go(long gx, int gy) {
        if (gx <= 0 || gy <= 0) return; // nothing to do (empty tensor)
        long f = functions.computeIfAbsent(pending, n -> CudaDriver.function(module, n));
        CudaDriver.launch(f, pending, (int) Math.min(gx, Integer.MAX_VALUE), gy, BLOCK, stream, args.params());
    }

    /** Blocks for a grid-stride loop over n elements (capped: each thread then does several). */
    public static long gridFor(long n) { return Math.min(Math.max(1, (n + BLOCK - 1) / BLOCK), 65535L * 8); }

    @Override public void close() {
        try {
            CudaDriver.moduleUnload(module);
        } finally {
            args.close();
        }
    }
}
