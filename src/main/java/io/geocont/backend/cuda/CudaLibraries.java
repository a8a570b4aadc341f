package io.geocont.backend.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and loads the CUDA libraries by versioned soname, in dependency order, before any
 * generated binding class is touched. The jextract output was generated without {@code -l}: its
 * symbol lookup is {@code SymbolLookup.loaderLookup()}, which sees exactly the libraries this
 * class loads with {@link System#load} (same class loader). A binding whose library is missing
 * therefore fails only in that function's holder class, and only if someone calls it; callers
 * check {@link #isLoaded} first.
 *
 * <p>Search order (first hit wins, directories outer, sonames newest first inner): the system
 * property {@code geocont.cuda.path} and the environment variable {@code GEOCONT_CUDA_PATH}
 * (path lists), {@code CUDA_HOME}/{@code CUDA_PATH}, {@code LD_LIBRARY_PATH},
 * {@code /usr/local/cuda}, Python environments' {@code site-packages/nvidia/<pkg>/lib} (pip
 * wheels, including {@code nvidia/cu13/lib}), the system library directories, and finally
 * dlopen by soname (the dynamic linker's own search; the path is then read from
 * /proc/self/maps so the library can be registered with System.load).
 *
 * <p>Loading happens once per JVM; {@link #load()} never throws and its {@link Report} says
 * what was tried and why each attempt failed (the dlopen message).
 */
public final class CudaLibraries {
    private CudaLibraries() { }

    /** One library: a short key, its versioned sonames (newest first), whether the backend needs it. */
    public record Lib(String key, List<String> sonames, boolean required, String what) { }

    /** In load order: dependencies before the libraries that need them. */
    public static final List<Lib> LIBS = List.of(
            new Lib("cudart", List.of("libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0"), true, "CUDA runtime"),
            new Lib("cuda", List.of("libcuda.so.1"), true, "NVIDIA driver API"),
            new Lib("cublasLt", List.of("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11"), false, "cuBLASLt (cuBLAS dependency)"),
            new Lib("cublas", List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so.11"), true, "cuBLAS"),
            new Lib("nvJitLink", List.of("libnvJitLink.so.13", "libnvJitLink.so.12"), false, "nvJitLink (cuSPARSE dependency)"),
            new Lib("cusparse", List.of("libcusparse.so.12", "libcusparse.so.11"), false, "cuSPARSE (cuSOLVER dependency)"),
            new Lib("cusolver", List.of("libcusolver.so.12", "libcusolver.so.11"), true, "cuSOLVER"));

    /**
     * What happened: loaded libraries (key to path), a line per attempt, and the searched
     * directories with where each came from.
     */
    public record Report(Map<String, Path> loaded, List<String> tried, List<String> searched, List<String> missingRequired) {
        public boolean complete() { return missingRequired.isEmpty(); }

        /** One line for humans: what is missing and where it was looked for. */
        public String summary() {
            if (complete()) return "all CUDA libraries loaded";
            return "not found or not loadable: " + String.join(", ", missingRequired) + " (searched "
                    + searched.size() + " directories; see 'tried')";
        }
    }

    private static volatile Report report;

    /** Loads every library once (later calls return the same report). Never throws. */
    public static Report load() {
        Report r = report;
        if (r != null) return r;
        synchronized (CudaLibraries.class) {
            if (report == null) {
                try {
                    report = loadAll(searchDirectories(), true);
                } catch (RuntimeException | LinkageError e) {
                    report = new Report(Map.of(), List.of("unexpected failure while loading: " + e), List.of(), List.of("all"));
                }
            }
            return report;
        }
    }

    /** True when the library with this key ("cudart", "cuda", "cublas", "cusolver", ...) is loaded. */
    public static boolean isLoaded(String key) {
        Report r = report;
        return r != null && r.loaded.containsKey(key);
    }

    /** Loads LIBS from {@code dirs} (entries "label: path"), then by soname when allowed. */
    static Report loadAll(List<String> dirs, boolean dlopenFallback) {
        Map<String, Path> loaded = new LinkedHashMap<>();
        List<String> tried = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Lib lib : LIBS) {
            Path p = loadOne(lib, dirs, dlopenFallback, tried);
            if (p != null) loaded.put(lib.key(), p);
            else if (lib.required()) missing.add(lib.key() + " (" + lib.what() + ", " + String.join("/", lib.sonames()) + ")");
        }
        return new Report(Collections.unmodifiableMap(loaded), List.copyOf(tried), List.copyOf(dirs), List.copyOf(missing));
    }

    /** Finds and System.loads one library; every attempt and failure goes to {@code tried}. */
    static Path loadOne(Lib lib, List<String> dirs, boolean dlopenFallback, List<String> tried) {
        for (String entry : dirs) {
            Path dir = Path.of(entry.substring(entry.indexOf(": ") + 2));
            for (String so : lib.sonames()) {
                Path f = dir.resolve(so);
                if (!Files.exists(f)) continue;
                try {
                    System.load(f.toAbsolutePath().toString());
                    tried.add(lib.key() + ": " + f + " -> loaded");
                    return f;
                } catch (UnsatisfiedLinkError | SecurityException e) {
                    tried.add(lib.key() + ": " + f + " -> dlopen failed: " + e.getMessage());
                }
            }
        }
        tried.add(lib.key() + ": none of " + lib.sonames() + " in the " + dirs.size() + " searched directories");
        if (!dlopenFallback) return null;
        for (String so : lib.sonames()) {
            String err = Dl.open(so); // the dynamic linker's own search
            if (err != null) {
                tried.add(lib.key() + ": dlopen(\"" + so + "\") -> " + err);
                continue;
            }
            Path real = mappedPath(so);
            if (real == null) {
                tried.add(lib.key() + ": dlopen(\"" + so + "\") succeeded but its file is not in /proc/self/maps");
                continue;
            }
            try {
                System.load(real.toString());
                tried.add(lib.key() + ": dlopen(\"" + so + "\") found " + real + " -> loaded");
                return real;
            } catch (UnsatisfiedLinkError e) {
                tried.add(lib.key() + ": " + real + " -> dlopen failed: " + e.getMessage());
            }
        }
        return null;
    }

    /** The file behind a mapped library whose name starts with the soname's stem (libcuda.so.1 -> libcuda.so.*). */
    private static Path mappedPath(String soname) {
        String stem = soname.substring(0, soname.indexOf(".so") + 3);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) continue;
                Path p = Path.of(line.substring(slash).trim());
                String name = p.getFileName().toString();
                if (name.equals(soname) || name.startsWith(stem + ".")) return p;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Every existing candidate directory, as "where it came from: path", in search order. */
    public static List<String> searchDirectories() {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        addList(out, seen, "geocont.cuda.path", System.getProperty("geocont.cuda.path"));
        addList(out, seen, "GEOCONT_CUDA_PATH", System.getenv("GEOCONT_CUDA_PATH"));
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = System.getenv(var);
            if (home != null && !home.isBlank())
                for (String sub : List.of("lib64", "lib", "targets/x86_64-linux/lib")) add(out, seen, var, Path.of(home, sub));
        }
        addList(out, seen, "LD_LIBRARY_PATH", System.getenv("LD_LIBRARY_PATH"));
        add(out, seen, "/usr/local/cuda", Path.of("/usr/local/cuda/lib64"));
        add(out, seen, "/usr/local/cuda", Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        for (Path site : pythonSitePackages()) nvidiaWheelDirs(out, seen, site);
        for (String sys : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib", "/usr/lib"))
            add(out, seen, "system", Path.of(sys));
        return out;
    }

    private static void addList(List<String> out, Set<String> seen, String label, String list) {
        if (list == null || list.isBlank()) return;
        for (String s : list.split(java.io.File.pathSeparator)) if (!s.isBlank()) add(out, seen, label, Path.of(s.trim()));
    }

    private static void add(List<String> out, Set<String> seen, String label, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs) && seen.add(abs.toString())) out.add(label + ": " + abs);
    }

    /** site-packages / dist-packages of the usual Python environments (venv, conda, user, system). */
    static List<Path> pythonSitePackages() {
        List<Path> roots = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) roots.add(Path.of(v));
        }
        String home = System.getProperty("user.home");
        if (home != null) roots.add(Path.of(home, ".local"));
        for (String r : List.of("/opt/conda", "/usr/local", "/usr")) roots.add(Path.of(r));
        List<Path> sites = new ArrayList<>();
        for (Path root : roots) {
            Path lib = root.resolve("lib");
            if (!Files.isDirectory(lib)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(lib, "python3*")) {
                for (Path py : ds)
                    for (String kind : List.of("site-packages", "dist-packages")) {
                        Path s = py.resolve(kind);
                        if (Files.isDirectory(s)) sites.add(s);
                    }
            } catch (IOException | RuntimeException ignored) {
                // unreadable: nothing to search there
            }
        }
        return sites;
    }

    /** site/nvidia/<pkg>/lib for every pip package (cublas, cusolver, cu13, ...). */
    private static void nvidiaWheelDirs(List<String> out, Set<String> seen, Path site) {
        Path nv = site.resolve("nvidia");
        if (!Files.isDirectory(nv)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(nv)) {
            List<Path> pkgs = new ArrayList<>();
            ds.forEach(pkgs::add);
            pkgs.sort(null);
            for (Path pkg : pkgs) add(out, seen, "python " + site, pkg.resolve("lib"));
        } catch (IOException | RuntimeException ignored) {
            // unreadable: skip
        }
    }
}
