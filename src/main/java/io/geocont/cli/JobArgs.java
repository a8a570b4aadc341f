package io.geocont.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What job-script commands repeat to the tasks they write: the options the user gave, and the command that starts geocont. */
final class JobArgs {
    private JobArgs() { }

    /** The options of mixin {@code mixin} (its field name) given on this command line, as words, without {@code skip}. */
    static List<String> given(CommandSpec spec, String mixin, Set<String> skip) {
        CommandSpec m = spec.mixins().get(mixin);
        if (m == null) throw new IllegalStateException("no mixin " + mixin);
        Set<String> names = new HashSet<>();
        for (OptionSpec o : m.options()) names.add(o.longestName());
        List<String> out = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String name = o.longestName();
            if (!names.contains(name) || skip.contains(name)) continue;
            if (o.arity().max() == 0) {
                out.add(name);
                continue;
            }
            for (String v : o.originalStringValues()) {
                out.add(name);
                out.add(v);
            }
        }
        return out;
    }

    /**
     * The words that start geocont on a node: {@code --geocont} split at spaces when given; else this
     * very jar with this JDK (a shared file system is assumed), or "geocont" on the PATH when not
     * running from a jar.
     */
    static List<String> geocont(String given) {
        if (given != null) {
            if (given.isBlank()) throw new IllegalArgumentException("--geocont: empty command");
            return List.of(given.trim().split("\\s+"));
        }
        try {
            Path src = Path.of(JobArgs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (src.toString().endsWith(".jar") && Files.isRegularFile(src)) {
                String java = ProcessHandle.current().info().command()
                        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                return List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "-Djava.awt.headless=true", "-jar", src.toAbsolutePath().toString());
            }
        } catch (Exception e) {
            // fall through to the PATH
        }
        return List.of("geocont");
    }

    /** A job name from the results folder's name: "geocont-mlp-quick-sgd". */
    /**
     * A Kubernetes job name from the results folder: lower case letters, digits and '-', at most
     * 57 characters so that the merge job's "-merge" suffix stays within the 63-character limit.
     */
    static String kubernetesJobName(Path out) {
        String n = jobName(out).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (n.length() > 57) n = n.substring(0, 57);
        return n.replaceAll("^-+|-+$", "");
    }

    static String jobName(Path out) {
        String base = out.toAbsolutePath().normalize().getFileName() == null ? "sweep" : out.toAbsolutePath().normalize().getFileName().toString();
        String n = ("geocont-" + base).replaceAll("[^A-Za-z0-9_.-]", "-");
        return n.length() > 63 ? n.substring(0, 63) : n;
    }
}
