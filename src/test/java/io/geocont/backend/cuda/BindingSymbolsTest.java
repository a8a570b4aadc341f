package io.geocont.backend.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every function the jextract argument files ask for is exported by the library we load. Catches
 * a macro name (cublasCreate instead of cublasCreate_v2) or a function missing from the installed
 * version here, without a GPU: the libraries load and resolve symbols without a device.
 */
class BindingSymbolsTest {

    private static List<String> functions(String argsFile) throws IOException {
        return Files.readAllLines(Path.of("bindings", argsFile)).stream()
                .map(String::strip)
                .filter(l -> l.startsWith("--include-function "))
                .map(l -> l.substring("--include-function ".length()).strip())
                .toList();
    }

    private static void assertExported(String key, String argsFile) throws IOException {
        CudaLibraries.load();
        assumeTrue(CudaLibraries.isLoaded(key), key + " not found (the build unpacks it from the machine's wheels, native/README.md): "
                + CudaLibraries.load().tried());
        List<String> names = functions(argsFile);
        assertFalse(names.isEmpty(), argsFile + " lists no functions");
        List<String> missing = names.stream().filter(n -> SymbolLookup.loaderLookup().find(n).isEmpty()).toList();
        assertEquals(List.of(), missing, "functions in bindings/" + argsFile + " not exported by the loaded " + key);
    }

    @Test void cusolverExportsEveryBoundFunction() throws IOException {
        assertExported("cusolver", "cusolver.args");
        assertTrue(functions("cusolver.args").contains("cusolverDnDgesvdj"), "the exact GPU SVD needs float64 gesvdj");
    }

    @Test void cublasExportsEveryBoundFunction() throws IOException {
        assertExported("cublas", "cublas.args");
    }

    @Test void runtimeExportsEveryBoundFunction() throws IOException {
        assertExported("cudart", "cudart.args");
    }
}
