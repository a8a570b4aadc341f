package io.geocont.monitor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The README's "Embedding the continuity monitor" snippet, exactly as written there, compiled
 * with javax.tools against the built jar (nothing else on the class path) and run in a fresh
 * JVM: it fails when the snippet or the monitor's API breaks, and when the monitor no longer
 * sees the continuity the snippet's loop builds. Runs in the integration-test phase (after
 * package), see the surefire execution "against-the-jar" in pom.xml.
 */
class ReadmeMonitorIT {
    static final String SECTION = "## Embedding the continuity monitor in your own training loop";

    /** The first ```java block after the section heading. */
    static String snippet(String readme) {
        int at = readme.indexOf(SECTION);
        assertTrue(at >= 0, "README.md has no section '" + SECTION + "'");
        int open = readme.indexOf("```java\n", at);
        assertTrue(open >= 0, "the section has no ```java block");
        int close = readme.indexOf("\n```", open + 8);
        assertTrue(close > open, "the ```java block is not closed");
        return readme.substring(open + 8, close + 1);
    }

    @Test void theReadmeLoopCompilesAndRunsAgainstTheJar(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("geocont.jar", "target/geocont.jar"));
        Path readme = Path.of(System.getProperty("geocont.readme", "README.md"));
        assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after mvn package");
        String code = snippet(Files.readString(readme, StandardCharsets.UTF_8));
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(code);
        assertTrue(cls.find(), "the snippet declares no public class");
        Path source = dir.resolve(cls.group(1) + ".java");
        Files.writeString(source, code, StandardCharsets.UTF_8);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, List.of("-classpath", jar.toString(), "-d", dir.toString()),
                    null, files.getJavaFileObjects(source.toFile())).call();
            assertTrue(ok, "the README snippet does not compile against " + jar + ":\n" + diagnostics.getDiagnostics());
        }
        // what a newcomer sees: javac's default warnings, none from the snippet or the jar (the jar's optional
        // Jackson annotations are not on this class path on purpose)
        assertTrue(diagnostics.getDiagnostics().isEmpty(), "compiling the README snippet warns: " + diagnostics.getDiagnostics());

        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", jar + File.pathSeparator + dir, cls.group(1))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the README loop did not finish in 2 minutes");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        Matcher last = Pattern.compile("epoch 5  v1 ([0-9.]+) \\(random ([0-9.]+)\\)  gradient coherence ([0-9.]+)").matcher(out);
        assertTrue(last.find(), "no epoch-5 line in:\n" + out);
        double v1 = Double.parseDouble(last.group(1)), random = Double.parseDouble(last.group(2));
        assertTrue(v1 > 3 * random, "the residual net learns one shared direction, so v1 should be far above random: " + out);
    }
}
