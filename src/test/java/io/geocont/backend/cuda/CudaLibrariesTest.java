package io.geocont.backend.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The loader's search and its explanations; runs without a GPU. */
class CudaLibrariesTest {

    @Test
    void missingLibraryListsEveryPlaceTried(@TempDir Path dir) {
        CudaLibraries.Lib lib = new CudaLibraries.Lib("absent", List.of("libgeocont_absent.so.7", "libgeocont_absent.so.6"), true, "test");
        List<String> tried = new ArrayList<>();
        Path found = CudaLibraries.loadOne(lib, List.of("test dir: " + dir), true, tried);
        assertNull(found);
        String all = String.join("\n", tried);
        assertTrue(all.contains("none of [libgeocont_absent.so.7, libgeocont_absent.so.6] in the 1 searched directories"), all);
        // the dynamic linker's own message, per soname
        assertTrue(all.contains("dlopen(\"libgeocont_absent.so.7\") -> libgeocont_absent.so.7: cannot open shared object file"), all);
        assertTrue(all.contains("dlopen(\"libgeocont_absent.so.6\")"), all);
    }

    @Test
    void brokenFileReportsTheDlopenError(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("libgeocont_broken.so.1"), new byte[0]); // empty: dlopen says "file too short"
        CudaLibraries.Lib lib = new CudaLibraries.Lib("broken", List.of("libgeocont_broken.so.1"), true, "test");
        List<String> tried = new ArrayList<>();
        assertNull(CudaLibraries.loadOne(lib, List.of("test dir: " + dir), false, tried));
        assertTrue(tried.get(0).startsWith("broken: " + dir.resolve("libgeocont_broken.so.1") + " -> dlopen failed: "), tried.get(0));
        assertTrue(tried.get(0).contains("ELF") || tried.get(0).contains("too short"), tried.get(0));
    }

    @Test
    void reportSummaryNamesMissingRequiredLibraries() {
        CudaLibraries.Report r = CudaLibraries.loadAll(List.of(), false);
        assertFalse(r.complete());
        assertTrue(r.summary().contains("cudart (CUDA runtime, libcudart.so.13/libcudart.so.12/libcudart.so.11.0)"), r.summary());
        assertTrue(r.summary().contains("cusolver"), r.summary());
        assertTrue(r.tried().stream().anyMatch(t -> t.startsWith("cublas: none of [libcublas.so.13")), r.tried().toString());
    }

    @Test
    void configuredPathComesFirstInTheSearch() {
        List<String> dirs = CudaLibraries.searchDirectories();
        String configured = System.getProperty("geocont.cuda.path");
        assumeTrue(configured != null && Files.isDirectory(Path.of(configured)),
                "the cuBLAS/cuSOLVER wheels are not unzipped into .cache/nvidia (native/README.md), so geocont.cuda.path is absent");
        assertEquals("geocont.cuda.path: " + Path.of(configured).toAbsolutePath().normalize(), dirs.get(0));
    }

    @Test
    void runtimeLoadsAndAnswersHere() {
        CudaLibraries.Report r = CudaLibraries.load();
        assumeTrue(CudaLibraries.isLoaded("cudart"), "no libcudart on this machine: " + r.tried());
        assertTrue(r.tried().stream().anyMatch(t -> t.startsWith("cudart: ") && t.endsWith("-> loaded")), r.tried().toString());
        assertTrue(CudaRuntime.runtimeVersion() >= 11000, "runtime version");
        int[] count = CudaRuntime.deviceCountRaw();
        // 0 with a device, 35 without a driver, 100 with a driver but no device
        assertTrue(count[0] == 0 || count[0] == 35 || count[0] == 100, "cudaGetDeviceCount status " + count[0]);
    }
}
