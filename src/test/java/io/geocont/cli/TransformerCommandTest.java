package io.geocont.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transformer commands: a tiny end-to-end run, and bad flags rejected with exit code 2. */
class TransformerCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test void tinyRunWritesFig3(@TempDir Path dir) throws Exception {
        StringWriter err = new StringWriter();
        int code = run(err, "transformer", "--backend", "cpu", "--d-model", "16", "--layers", "2", "--heads", "2", "--d-ff", "32",
                "--seq", "16", "--batch", "4", "--steps", "4", "--eval-every", "2", "--eval-batches", "1",
                "--mlp-activation", "radial-tanh", "--norm", "layernorm", "--out", dir.toString());
        assertEquals(0, code, err.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> j = io.geocont.io.AtomicFiles.json().readValue(dir.resolve("fig3.json").toFile(), Map.class);
        assertEquals(4, ((Number) j.get("steps")).intValue());
        @SuppressWarnings("unchecked") Map<String, Object> model = (Map<String, Object>) ((Map<String, Object>) j.get("config")).get("model");
        assertEquals("radial-tanh", model.get("mlp_activation"));
        assertEquals("ln", model.get("norm"), "the one NormKind's name (--norm layernorm parses to it)");
        assertTrue(Files.exists(dir.resolve("fig3.png")));
    }

    @Test void badFlagsAreRejected(@TempDir Path dir) {
        String out = dir.toString();
        String[][] bad = {
                {"transformer", "--optimizer", "lion", "--out", out},
                {"transformer", "--heads", "3", "--out", out},
                {"transformer", "--d-model", "12", "--heads", "4", "--out", out},   // head size 3 is odd: RoPE needs even
                {"transformer", "--mlp-activation", "swish2", "--out", out},
                {"transformer", "--norm", "batchnorm", "--out", out},
                {"transformer", "--steps", "0", "--out", out},
                {"transformer", "--steps", "ten", "--out", out},
                {"transformer", "--lr", "-1", "--out", out},
                {"transformer", "--text", dir.resolve("missing.txt").toString(), "--out", out},
                {"transformer", "--bogus-flag"},
                {"reproduce", "fig3", "--scale", "huge", "--out", out},
        };
        for (String[] args : bad) {
            StringWriter err = new StringWriter();
            int code = run(err, args);
            assertEquals(2, code, String.join(" ", args) + " should be rejected, stderr: " + err);
            assertTrue(!err.toString().isBlank(), String.join(" ", args) + " should explain itself");
        }
    }
}
