package io.geocont.backend.cuda;

import io.geocont.backend.BackendStatus;
import io.geocont.bindings.cudart.CudaRt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether the CUDA backend can run here and explains why not, in order of what is
 * checked: libraries found and loaded (with every path tried and its dlopen message), a driver
 * new enough for the runtime (cudaGetDeviceCount = 35 means missing or too old), a device, and
 * the kernel fatbin in this build. Never throws.
 */
public final class CudaProbe {
    private CudaProbe() { }

    /** The full status for {@code geocont doctor} and Backends.open. */
    public static BackendStatus status() {
        Map<String, Object> d = new LinkedHashMap<>();
        try {
            return statusInto(d);
        } catch (RuntimeException | LinkageError e) {
            d.put("error", e.toString());
            return BackendStatus.unavailable("cuda", "probe failed: " + e, d);
        }
    }

    /** Where a GPU driver shows itself (Linux kernel module, its device nodes, WSL2's GPU device). */
    private static final List<String> DRIVER_SIGNS = List.of("/proc/driver/nvidia", "/dev/nvidiactl", "/dev/nvidia0", "/dev/dxg");

    /**
     * The reason when this machine shows no sign of an NVIDIA driver, else null: no driver
     * device or /proc entry ({@link #DRIVER_SIGNS}) and no libcuda.so.1 in the searched
     * directories, LD_LIBRARY_PATH or WSL2's library folder. Without a driver the runtime cannot
     * start, so "auto" can skip {@link #status}, which loads the libraries through the FFM
     * linker (its first use costs about 0.2 s of a command's start). Any sign of a driver
     * defers to the full probe.
     */
    static String driverMissing() {
        for (String sign : DRIVER_SIGNS) if (Files.exists(Path.of(sign))) return null;
        Set<String> dirs = new LinkedHashSet<>();
        for (String entry : CudaLibraries.searchDirectories()) dirs.add(entry.substring(entry.indexOf(": ") + 2));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isBlank()) dirs.add(d);
        dirs.add("/usr/lib/wsl/lib");
        for (String d : dirs) if (Files.exists(Path.of(d, "libcuda.so.1"))) return null;
        return "no NVIDIA driver: none of " + String.join(", ", DRIVER_SIGNS) + " exists and libcuda.so.1 is in none of "
                + dirs.size() + " directories (run 'geocont doctor' for the full check)";
    }

    /** Null when the backend can be created, else the reason. */
    static String unavailableReason() {
        BackendStatus st = status();
        return st.available() ? null : st.reason();
    }

    private static BackendStatus statusInto(Map<String, Object> d) {
        boolean kernels = CudaKernels.built();
        d.put("kernelsBuilt", kernels);
        d.put("kernelsResource", CudaKernels.RESOURCE);
        CudaLibraries.Report rep = CudaLibraries.load();
        Map<String, String> loaded = new LinkedHashMap<>();
        rep.loaded().forEach((k, p) -> loaded.put(k, p.toString()));
        d.put("libraries", loaded);
        d.put("tried", rep.tried());
        d.put("searched", rep.searched());
        if (!CudaLibraries.isLoaded("cudart"))
            return BackendStatus.unavailable("cuda", "library not found: the CUDA runtime (libcudart.so.13/.12/.11.0); "
                    + rep.summary() + ". Set geocont.cuda.path or GEOCONT_CUDA_PATH to the folder that holds it.", d);
        int[] cnt = CudaRuntime.deviceCountRaw();
        d.put("cudaGetDeviceCount", cnt[0] == 0 ? "0 cudaSuccess (" + cnt[1] + " devices)" : cnt[0] + " " + CudaErrors.runtimeName(cnt[0]));
        try {
            d.put("runtimeVersion", CudaBackend.version(CudaRuntime.runtimeVersion()));
            d.put("driverSupportsCuda", CudaBackend.version(CudaRuntime.driverVersion()));
        } catch (CudaException e) {
            d.put("versionError", e.getMessage());
        }
        if (cnt[0] == CudaRt.cudaErrorInsufficientDriver()) {
            String driver = CudaLibraries.isLoaded("cuda") ? "the installed NVIDIA driver is too old for this CUDA runtime"
                    : "no NVIDIA driver (libcuda.so.1 not found)";
            return BackendStatus.unavailable("cuda", "insufficient driver: " + driver + " (cudaGetDeviceCount returned 35"
                    + " cudaErrorInsufficientDriver)" + (rep.complete() ? "" : "; also " + rep.summary()), d);
        }
        if (cnt[0] == CudaRt.cudaErrorNoDevice() || (cnt[0] == 0 && cnt[1] == 0))
            return BackendStatus.unavailable("cuda", "no CUDA device (cudaGetDeviceCount: " + d.get("cudaGetDeviceCount") + ")", d);
        if (cnt[0] != 0)
            return BackendStatus.unavailable("cuda", "CUDA initialisation failed: cudaGetDeviceCount returned "
                    + d.get("cudaGetDeviceCount"), d);
        List<Map<String, Object>> devices = new ArrayList<>();
        if (CudaLibraries.isLoaded("cuda")) {
            CudaDriver.init();
            for (int i = 0; i < cnt[1]; i++) {
                Map<String, Object> dev = new LinkedHashMap<>();
                int[] cc = CudaDriver.computeCapability(i);
                dev.put("index", i);
                dev.put("name", CudaDriver.deviceName(i));
                dev.put("computeCapability", cc[0] + "." + cc[1]);
                dev.put("memoryMiB", CudaDriver.totalMemory(i) >> 20);
                devices.add(dev);
            }
        }
        d.put("devices", devices);
        if (!rep.complete())
            return BackendStatus.unavailable("cuda", "library not found: " + rep.summary(), d);
        if (!kernels)
            return BackendStatus.unavailable("cuda", "kernels not built: this build has no " + CudaKernels.RESOURCE
                    + " (nvcc was not found at build time; see native/README.md)", d);
        Map<String, Object> first = devices.get(0);
        return BackendStatus.ok("cuda", first.get("name") + ", " + first.get("memoryMiB") + " MiB, sm_"
                + String.valueOf(first.get("computeCapability")).replace(".", ""), d);
    }
}
