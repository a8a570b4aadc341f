package io.geocont.cli;

import io.geocont.train.MlpRunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class MlpCommandTest {
    @TempDir Path tmp;

    @Test void flagsBecomeTheRunSpec() {
        MlpCommand cmd = new MlpCommand();
        new CommandLine(cmd).parseArgs("--no-residual", "--activation", "radial-tanh", "--norm", "ln", "--init", "kaiming",
                "--optimizer", "adamw", "--width", "32", "--depth", "5", "--seed", "4", "--epochs", "3");
        var spec = cmd.spec();
        assertEquals("nores-radial-tanh-ln-kaiming-adamw-s4", spec.runId());
        assertEquals(1e-3f, spec.train().lr(), "adamw's own default lr when --lr is absent");
        assertEquals(0.01f, spec.train().weightDecay());
        assertEquals(32, spec.model().width());
        assertEquals(5, spec.model().depth());
        MlpCommand sgd = new MlpCommand();
        new CommandLine(sgd).parseArgs();
        assertEquals("res-relu-sgd-s0", sgd.spec().runId());
        assertEquals(0.05f, sgd.spec().train().lr());
        assertEquals(5f, sgd.spec().train().clipNorm());
        assertEquals(10, sgd.spec().train().epochs());
    }

    @Test void runsEndToEndAndWritesTheRunFolder() throws Exception {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
            rc = Main.commandLine().execute("mlp", "--width", "8", "--depth", "3", "--epochs", "1", "--batch", "256",
                    "--out", tmp.toString(), "--backend", "cpu");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String text = out.toString();
        assertEquals(0, rc, text);
        assertTrue(text.contains("[O]"), "our own choices are marked: " + text);
        assertTrue(text.contains("final: v1"), text);
        Path run = tmp.resolve("res-relu-sgd-s0");
        for (String f : new String[]{"log.jsonl", "checkpoint.bin", "result.json"}) assertTrue(Files.exists(run.resolve(f)), f);
        MlpRunResult r = MlpRunResult.read(run.resolve("result.json"));
        assertEquals(2, r.epochs().size());
        assertEquals(8, ((Number) r.config().get("width")).intValue());
    }

    @Test void badValuesGiveOneClearLineAndExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.getSubcommands().get("mlp").setErr(new PrintWriter(err));
        int rc = cl.execute("mlp", "--activation", "swish2", "--out", tmp.toString(), "--backend", "cpu");
        assertEquals(2, rc);
        assertTrue(err.toString().contains("unknown activation 'swish2'"), err.toString());
    }
}
