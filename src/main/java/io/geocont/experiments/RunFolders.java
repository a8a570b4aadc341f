package io.geocont.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocont.io.AtomicFiles;
import io.geocont.train.EpochMetrics;
import io.geocont.train.MlpExperiment;
import io.geocont.train.MlpRunResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Reads the finished runs of a results folder, and merges the folders of several shards into one. */
public final class RunFolders {
    private RunFolders() { }

    /** Every finished run (sub-folder with result.json) of {@code dir}, sorted by run id. */
    public static List<MlpRunResult> finished(Path dir) throws IOException {
        List<MlpRunResult> out = new ArrayList<>();
        for (Path sub : runDirs(dir)) {
            Path r = sub.resolve(MlpExperiment.RESULT);
            if (Files.isRegularFile(r)) out.add(MlpRunResult.read(r));
        }
        out.sort(Comparator.comparing(MlpRunResult::runId));
        return out;
    }

    private static List<Path> runDirs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a results folder");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /**
     * Copies every finished run folder of {@code sources} into {@code dest}. A run already in
     * {@code dest} (or in an earlier source) must hold the same result, apart from wall-clock
     * fields; otherwise this throws and names both folders. Unfinished runs are skipped with a
     * note. Returns how many run folders were copied.
     */
    public static int merge(List<Path> sources, Path dest, PrintStream log) throws IOException {
        Files.createDirectories(dest);
        int copied = 0;
        for (Path src : sources) {
            if (src.toAbsolutePath().normalize().equals(dest.toAbsolutePath().normalize()))
                throw new IllegalArgumentException("merge: source " + src + " is the output folder itself");
            for (Path run : runDirs(src)) {
                Path result = run.resolve(MlpExperiment.RESULT);
                if (!Files.isRegularFile(result)) {
                    log.println("merge: skipping unfinished run " + run + " (no " + MlpExperiment.RESULT + ")");
                    continue;
                }
                Path target = dest.resolve(run.getFileName().toString());
                Path targetResult = target.resolve(MlpExperiment.RESULT);
                if (Files.isRegularFile(targetResult)) {
                    if (!sameRun(result, targetResult))
                        throw new IllegalStateException("merge: conflicting duplicates of run " + run.getFileName() + ": " + result
                                + " and " + targetResult + " hold different results (different settings or seeds?)");
                    continue;
                }
                if (Files.exists(target)) deleteTree(target); // an unfinished leftover in dest
                copyAtomically(run, target);
                copied++;
            }
        }
        log.println("merge: copied " + copied + " run folders into " + dest);
        return copied;
    }

    /** Same settings and the same per-epoch numbers, wall-clock fields ignored. */
    static boolean sameRun(Path a, Path b) throws IOException {
        return fingerprint(a).equals(fingerprint(b));
    }

    private static JsonNode fingerprint(Path result) throws IOException {
        MlpRunResult r = MlpRunResult.read(result);
        var json = AtomicFiles.json();
        var root = json.createObjectNode();
        root.set("config", json.valueToTree(r.config()));
        var eps = root.putArray("epochs");
        for (EpochMetrics m : r.epochs()) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(m);
            node.remove(EpochMetrics.CLOCK_FIELDS);
            eps.add(node);
        }
        return root;
    }

    private static void copyAtomically(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling("." + to.getFileName() + ".merging");
        if (Files.exists(tmp)) deleteTree(tmp);
        Files.createDirectories(tmp);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList())
                if (Files.isRegularFile(f)) Files.copy(f, tmp.resolve(f.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
