package io.geocont.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sweep and reproduce commands end to end on a tiny grid (width 8, depth 3, 1 epoch,
 * 2 variants x 2 seeds, 256 training digits): sharding + merging gives the same table as one run,
 * finished runs are skipped, conflicting duplicates are refused, outputs are written, bad flags fail.
 */
class SweepCommandTest {
    static final String[] TINY = {"--width", "8", "--depth", "3", "--epochs", "1", "--seeds", "2",
            "--variants", "res-relu,nores-relu", "--limit-train", "256", "--limit-test", "128", "--backend", "cpu", "--quiet"};

    @TempDir Path tmp;

    record Result(int rc, String out, String err) { }

    static Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        StringWriter picoErr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(picoErr, true));
            for (var sub : cl.getSubcommands().values()) sub.setErr(new PrintWriter(picoErr, true));
            int rc = cl.execute(args);
            return new Result(rc, out.toString(), err + picoErr.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }


    private static String[] args(String cmd, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of(cmd.split(" ")));
        a.addAll(List.of(TINY));
        a.add("--out");
        a.add(out.toString());
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test void shardsMergedGiveTheSameTableAsOneRunAndFinishedRunsAreSkipped() throws Exception {
        Path whole = tmp.resolve("whole"), s1 = tmp.resolve("s1"), s2 = tmp.resolve("s2"), merged = tmp.resolve("merged");
        Result r = run(args("sweep", whole));
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("Table 1"), r.out());
        assertTrue(r.err().contains("run 4/4"), r.err());

        assertEquals(0, run(args("sweep", s1, "--shard", "1/2")).rc());
        Result second = run(args("sweep", s2, "--shard", "2/2"));
        assertEquals(0, second.rc(), second.err());
        assertEquals(2, runFolders(s1).size());
        assertEquals(2, runFolders(s2).size());
        // run j goes to shard j mod 2 over the sorted ids: nores-relu-sgd-s0, -s1, res-relu-sgd-s0, -s1
        assertEquals(List.of("nores-relu-sgd-s0", "res-relu-sgd-s0"), runFolders(s1));
        assertFalse(Files.exists(s1.resolve("table1.csv")), "a shard writes no aggregate");

        Result m = run("sweep", "--merge", s1.toString(), s2.toString(), "--out", merged.toString());
        assertEquals(0, m.rc(), m.err());
        assertEquals(Files.readString(whole.resolve("table1.csv")), Files.readString(merged.resolve("table1.csv")));

        // a second sweep over the same folder trains nothing
        Path res = whole.resolve("res-relu-sgd-s0").resolve("result.json");
        FileTime before = Files.getLastModifiedTime(res);
        Result again = run(args("sweep", whole));
        assertEquals(0, again.rc(), again.err());
        assertTrue(again.err().contains("4 finished already, 0 to train"), again.err());
        assertEquals(before, Files.getLastModifiedTime(res));

        // merging the same shard again is fine (identical duplicate), and so is the same shard trained
        // again elsewhere (the same numbers, other wall-clock times); a different result is a conflict
        assertEquals(0, run("sweep", "--merge", s1.toString(), "--out", merged.toString()).rc());
        Path s1Again = tmp.resolve("s1-again");
        assertEquals(0, run(args("sweep", s1Again, "--shard", "1/2")).rc());
        Result retrained = run("sweep", "--merge", s1Again.toString(), "--out", merged.toString());
        assertEquals(0, retrained.rc(), retrained.err());
        Path tampered = s1.resolve("res-relu-sgd-s0").resolve("result.json");
        Files.writeString(tampered, Files.readString(tampered).replaceFirst("\"train_loss\" : [0-9.eE-]+", "\"train_loss\" : 123.0"));
        Result conflict = run("sweep", "--merge", s1.toString(), "--out", merged.toString());
        assertNotEquals(0, conflict.rc());
        assertTrue(conflict.err().contains("conflicting duplicates of run res-relu-sgd-s0"), conflict.err());
    }

    @Test void reproduceWritesTableFiguresAndReport() throws Exception {
        Path out = tmp.resolve("rep");
        Result r = run(args("reproduce mlp", out));
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().contains("science.md section 6 checks (sgd)"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("table1.csv"));
        assertEquals(3, csv.size(), "header + one row per variant: " + csv);
        assertTrue(csv.get(0).startsWith("variant,residual,activation,norm,optimizer,seeds,accuracy,v1_mean"), csv.get(0));
        for (String f : List.of("table1.json", "report.html", "v1-continuity.png", "v1-continuity.svg",
                "continuity-vs-depth.png", "s2wa-bars.png", "erank-bars.png", "fig2a-drift-res-relu.png", "fig2a-drift-mean.png",
                "fig12-grad-coh-v1.png", "fig12-gcum-v1.png", "fig12-v1.png", "fig12-dgw.svg"))
            assertTrue(Files.size(out.resolve(f)) > 500, f + " is missing or nearly empty");
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<img src=\"v1-continuity.png\""), "figures linked relatively");
        assertTrue(html.contains("[O]"), "our choices marked");
        assertTrue(html.contains("<code>geocont reproduce mlp --"), "the command as it was run");
        assertFalse(html.contains("reproduce mlp reproduce mlp"), "the command appears once");
        assertTrue(html.contains("<div class=\"scroll\"><table>"), "wide tables scroll inside their box");
        assertFalse(java.util.regex.Pattern.compile("<td>-?\\d+\\.\\d{4,}</td>").matcher(html).find(), "numbers rounded for reading");
        assertTrue(html.contains("res-relu") && html.contains("nores-relu"));
        assertEquals(5, html.split("<td>\\d</td><td style").length - 1, "five section-6 items");
        // the reproduce fig2a target reuses the same runs (nothing to train)
        Result f = run(args("reproduce fig12", out));
        assertEquals(0, f.rc(), f.err());
        assertTrue(f.err().contains("0 to train"), f.err());
    }

    @Test void badFlagsAreClearErrors() {
        Result r = run(args("sweep", tmp.resolve("x"), "--shard", "3/2"));
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("shard 3/2"), r.err());
        assertEquals(2, run(args("sweep", tmp.resolve("x"), "--shard", "one/two")).rc());
        Result v = run(args("sweep", tmp.resolve("x"), "--variants", "res-relu,wide-relu"));
        assertEquals(2, v.rc());
        assertTrue(v.err().contains("wide-relu"), v.err());
        assertEquals(2, run(args("sweep", tmp.resolve("x"), "--scale", "huge")).rc());
        assertFalse(Files.exists(tmp.resolve("x").resolve("res-relu-sgd-s0")), "nothing trained after a bad flag");
    }

    static List<String> runFolders(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
