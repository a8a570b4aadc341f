package io.geocont.arch;

import io.geocont.io.checkpoint.TorchFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A library user depending on io.geocont:geocont gets geocont's classes and the non-optional
 * runtime dependencies, not picocli or XChart (optional in pom.xml). The list comes from Maven's
 * own resolution (dependency:list at build time, pom.xml), and {@link LibraryProbe} runs library
 * code in a child JVM on exactly that classpath: a library class that loads picocli or XChart
 * fails there with NoClassDefFoundError, and anything library code prints shows up beside the
 * probe's own output.
 */
class LibraryClasspathTest {
    /** One resolved artifact: "g:a:type[:classifier]:version:scope:/path.jar[ (optional)][ -- module ...]". */
    record Dependency(String coordinates, Path jar, boolean optional) { }

    private static final Pattern LINE = Pattern.compile(
            "^\\s*(\\S+?):(compile|runtime):(.+?\\.jar)(\\s+\\(optional\\))?(\\s+--\\s.*)?$");

    static List<Dependency> resolved() throws IOException {
        String file = System.getProperty("geocont.library.dependencies");
        assertNotNull(file, "geocont.library.dependencies is set by pom.xml's surefire configuration");
        Path list = Path.of(file);
        assertTrue(Files.exists(list), list + " is written by the dependency:list execution of pom.xml");
        List<Dependency> out = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) out.add(new Dependency(m.group(1), Path.of(m.group(3)), m.group(4) != null));
        }
        assertFalse(out.isEmpty(), "no dependency lines understood in " + list);
        return out;
    }

    static List<Path> libraryUsersJars() throws IOException {
        return resolved().stream().filter(d -> !d.optional()).map(Dependency::jar).toList();
    }

    private static boolean holds(Path jar, String classFile) throws IOException {
        try (var z = new java.util.zip.ZipFile(jar.toFile())) {
            return z.getEntry(classFile) != null;
        }
    }

    @Test void theLibraryUsersClasspathHasNeitherPicocliNorXChart() throws IOException {
        List<Dependency> all = resolved();
        List<Path> user = libraryUsersJars();
        for (Path jar : user) {
            assertFalse(holds(jar, "picocli/CommandLine.class"), jar + " brings picocli to a library user");
            assertFalse(holds(jar, "org/knowm/xchart/XYChart.class"), jar + " brings XChart to a library user");
        }
        // The CLI build still resolves both (the shaded jar holds them): the list covers them, marked optional.
        assertTrue(all.stream().anyMatch(d -> d.optional() && d.coordinates().startsWith("info.picocli:picocli:")), "picocli optional in " + all);
        assertTrue(all.stream().anyMatch(d -> d.optional() && d.coordinates().startsWith("org.knowm.xchart:xchart:")), "XChart optional in " + all);
        assertTrue(user.stream().anyMatch(j -> j.getFileName().toString().startsWith("jackson-databind-")), "jackson is a real dependency: " + user);
    }

    @Test void libraryCodeRunsWithoutThemAndPrintsNothingOfItsOwn(@TempDir Path tmp) throws Exception {
        Path checkpoint = TorchFixtures.path("llama-st");
        List<String> expected = LibraryProbe.results(checkpoint);

        // The probe's class files alone (not test-classes, which hold tests that use picocli and XChart).
        Path probeDir = tmp.resolve("probe");
        Path compiled = Path.of(LibraryProbe.class.getResource("LibraryProbe.class").toURI()).getParent();
        Files.createDirectories(probeDir.resolve("io/geocont/arch"));
        try (Stream<Path> s = Files.list(compiled)) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("LibraryProbe")).toList())
                Files.copy(f, probeDir.resolve("io/geocont/arch").resolve(f.getFileName()));
        }
        List<String> cp = new ArrayList<>();
        cp.add(System.getProperty("geocont.library.classes"));
        cp.add(probeDir.toString());
        for (Path jar : libraryUsersJars()) cp.add(jar.toString());

        String java = ProcessHandle.current().info().command().orElseThrow();
        Path stdout = tmp.resolve("out.txt"), stderr = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", String.join(File.pathSeparator, cp), LibraryProbe.class.getName(), checkpoint.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe did not finish in 120 s");
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "library code failed without picocli/XChart on the classpath:\n" + err);
        assertEquals(expected, Files.readAllLines(stdout), "the child JVM's results differ from this JVM's");
        List<String> printed = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(List.of(), printed, "library code printed to stderr");
    }
}
