package io.geocont.report;

import io.geocont.experiments.PaperChecks;
import io.geocont.experiments.RunFolders;
import io.geocont.experiments.Table1;
import io.geocont.experiments.VariantRuns;
import io.geocont.plot.MlpFigures;
import io.geocont.train.MlpRunResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a folder of finished runs into the reproduction outputs: Table 1 (stdout, CSV, JSON),
 * the figures, and report.html. Works on any folder the sweep or a merge produced.
 */
public final class MlpReport {
    /** What to write besides Table 1. */
    public enum Part { TABLE1, FIG2A, FIG12, ALL }

    /** Choices that are ours [O] (science.md E1/E2 and section 5), listed in every report. */
    public static final List<String> OUR_CHOICES = List.of(
            "width d and depth L of the hidden d x d blocks (quick: 128 x 12, paper: 256 x 16)",
            "784 -> d input layer (linear + bias, no activation) and d -> 10 readout, outside the continuity average",
            "residual block h <- h + act(W norm(h) + b) (pre-norm); plain block h <- act(W norm(h) + b); final norm before the readout when normed",
            "PyTorch-default init (uniform +-1/sqrt(fan_in)); nores-relu-kaiming uses N(0, 2/fan_in) because plain deep nets do not train otherwise under SGD",
            "SGD momentum 0.9, lr 0.05, global grad-norm clip 5, batch 128, constant rate (science.md section 5); AdamW: lr 1e-3, wd 0.01, same clip",
            "rotation-preserving activation = radial tanh phi(h) = tanh(||h||) h / ||h||",
            "s2-WA weights s_i(l)^2 / ||W_l||_F^2 of the lower layer, |cos| (other forms in log.jsonl: s2wa_both_mean, s2wa_sq_mean)",
            "drift formula arccos|<v1(W_l(t)), v1(W_l(epoch 1))>| in degrees",
            "data: the embedded 10,000 MNIST digits, 8,000 train / 2,000 test, unless --data is given",
            "'did not learn' = final test accuracy below twice chance",
            "the pass/fail tests of the section-6 items (see the report's check table)");

    private MlpReport() { }

    /** Writes the outputs into {@code dir}; prints Table 1 and the checks on {@code out}. */
    public static void write(Path dir, Part part, String tag, String command, PrintStream out) throws IOException {
        List<MlpRunResult> results = RunFolders.finished(dir);
        if (results.isEmpty()) throw new IllegalStateException(dir + " holds no finished runs (no <run>/result.json)");
        Table1 table = new Table1(results);
        table.print(out);
        table.write(dir);
        MlpFigures figs = new MlpFigures(dir, table.groups(), tag);
        List<MlpFigures.Figure> written = new ArrayList<>();
        switch (part) {
            case TABLE1 -> written.addAll(figs.table1Figures());
            case FIG2A -> written.addAll(figs.fig2a());
            case FIG12 -> written.addAll(figs.fig12());
            case ALL -> written.addAll(figs.all());
        }
        Map<String, List<PaperChecks.Check>> checks = new LinkedHashMap<>();
        Map<String, List<VariantRuns>> byOpt = new LinkedHashMap<>();
        for (VariantRuns g : table.groups()) byOpt.computeIfAbsent(g.optimizer(), k -> new ArrayList<>()).add(g);
        for (var e : byOpt.entrySet()) checks.put(e.getKey(), new PaperChecks(e.getValue()).all());
        out.println();
        for (var e : checks.entrySet()) {
            out.println("science.md section 6 checks (" + e.getKey() + "):");
            for (PaperChecks.Check c : e.getValue())
                out.printf("  %d. %-13s %s%n     %s%n", c.item(), c.status().label(), c.claim(), c.numbers());
        }
        if (!table.didNotLearn().isEmpty())
            out.println("WARNING: did not learn (continuity says little): " + String.join(", ", table.didNotLearn()));
        Path html = HtmlReport.write(dir, table, checks, written, OUR_CHOICES, command);
        out.println();
        out.println("wrote " + dir.resolve("table1.csv") + ", table1.json, " + written.size() + " figures (PNG+SVG), " + html);
    }
}
