package io.geocont.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocont.backend.BackendStatus;
import io.geocont.backend.Backends;
import io.geocont.io.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code geocont doctor}: text and JSON list every backend with its reason and what was tried. */
class DoctorCommandTest {

    private static BackendStatus cuda() {
        return Backends.probeAll().stream().filter(s -> s.name().equals("cuda")).findFirst().orElseThrow();
    }

    @Test
    void textAndJsonExplainEveryBackend(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("doctor.json");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.commandLine().execute("doctor", "--json", json.toString());
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        BackendStatus cuda = cuda();
        assertTrue(text.contains("cpu: available - pure Java"), text);
        assertTrue(text.contains("cuda: " + (cuda.available() ? "available" : "UNAVAILABLE") + " - " + cuda.reason()), text);
        assertTrue(text.contains("kernelsBuilt: "), text);
        assertTrue(text.contains("--backend auto would use: " + (cuda.available() ? "cuda" : "cpu")), text);
        if (!cuda.available()) {
            assertTrue(text.contains("  tried:"), text);
            // the reason is one of the documented causes
            assertTrue(cuda.reason().matches("(library not found|insufficient driver|no CUDA device|kernels not built|CUDA initialisation failed).*"),
                    cuda.reason());
        }

        JsonNode root = AtomicFiles.json().readTree(json.toFile());
        assertEquals(cuda.available() ? "cuda" : "cpu", root.get("auto").asText());
        JsonNode cudaNode = null;
        for (JsonNode b : root.get("backends")) if (b.get("name").asText().equals("cuda")) cudaNode = b;
        assertNotNull(cudaNode, root.toString());
        assertEquals(cuda.available(), cudaNode.get("available").asBoolean());
        assertEquals(cuda.reason(), cudaNode.get("reason").asText());
        assertTrue(cudaNode.get("details").get("tried").isArray() && cudaNode.get("details").get("tried").size() > 0, cudaNode.toString());
        assertTrue(cudaNode.get("details").get("kernelsBuilt").isBoolean(), cudaNode.toString());
    }

    @Test
    void withoutDriverTheReasonSaysSoAndNamesError35() {
        BackendStatus cuda = cuda();
        org.junit.jupiter.api.Assumptions.assumeTrue(cuda.details().get("cudaGetDeviceCount") instanceof String s && s.startsWith("35 "),
                "this machine's CUDA state is not 'runtime present, no driver' (" + cuda.reason() + ")");
        assertTrue(cuda.reason().startsWith("insufficient driver: "), cuda.reason());
        assertTrue(cuda.reason().contains("cudaErrorInsufficientDriver"), cuda.reason());
    }
}
