package io.geocont.cli;

import io.geocont.backend.BackendStatus;
import io.geocont.backend.Backends;
import io.geocont.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code geocont doctor}: every backend, available or not, with the reason and what was tried
 * (libraries and their dlopen messages, device name and memory, kernels built), as text and,
 * with {@code --json FILE}, as JSON. Exit code 0 whenever the report was made: an unavailable
 * GPU is a finding, not an error.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show which compute backends can run here and, for each one that cannot, exactly why.")
public final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--verbose", description = "List every library path tried and every directory searched.")
    boolean verbose;

    @Override public Integer call() throws Exception {
        List<BackendStatus> all = Backends.probeAll();
        print(all, verbose, System.out);
        if (json != null) {
            AtomicFiles.writeJson(json, report(all));
            System.out.println("wrote " + json);
        }
        return 0;
    }

    /** The JSON document: Java and OS facts, then one entry per backend with its details. */
    static Map<String, Object> report(List<BackendStatus> all) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("java", Runtime.version().toString());
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        List<Map<String, Object>> list = new ArrayList<>();
        for (BackendStatus s : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("available", s.available());
            m.put("reason", s.reason());
            m.put("details", s.details());
            list.add(m);
        }
        root.put("backends", list);
        root.put("auto", all.stream().filter(BackendStatus::available).map(BackendStatus::name).findFirst().orElse("none"));
        return root;
    }

    /** Human-readable report: one block per backend. */
    static void print(List<BackendStatus> all, boolean verbose, PrintStream out) {
        out.println("geocont doctor (Java " + Runtime.version() + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ")");
        for (BackendStatus s : all) {
            out.println();
            out.println(s.name() + ": " + (s.available() ? "available" : "UNAVAILABLE") + " - " + s.reason());
            for (Map.Entry<String, Object> e : s.details().entrySet()) {
                String key = e.getKey();
                if (key.equals("tried") || key.equals("searched")) continue;
                out.println("  " + key + ": " + e.getValue());
            }
            List<String> tried = s.tried();
            if (!tried.isEmpty()) {
                out.println("  tried:");
                for (String t : tried)
                    if (verbose || !t.contains(" -> loaded") || !s.available()) out.println("    " + t);
            }
            Object searched = s.details().get("searched");
            if (searched instanceof List<?> dirs) {
                if (verbose) {
                    out.println("  searched:");
                    for (Object d : dirs) out.println("    " + d);
                } else {
                    out.println("  searched: " + dirs.size() + " directories (--verbose lists them)");
                }
            }
        }
        out.println();
        String auto = all.stream().filter(BackendStatus::available).map(BackendStatus::name).findFirst().orElse("none");
        out.println("--backend auto would use: " + auto);
    }
}
