package io.geocont.report;

import io.geocont.experiments.PaperChecks;
import io.geocont.experiments.Table1;
import io.geocont.io.AtomicFiles;
import io.geocont.plot.MlpFigures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: one self-contained page (no scripts, no external assets) with Table 1, the figures
 * as relative image links, the configuration (our choices marked [O]), the baseline, accuracies
 * with a warning for variants that did not learn, and the automatic science.md section 6 checks.
 */
public final class HtmlReport {
    private HtmlReport() { }

    public static Path write(Path dir, Table1 table, Map<String, List<PaperChecks.Check>> checksByOptimizer,
                             List<MlpFigures.Figure> figures, List<String> ourChoices, String command) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>geocont: toy MLP reproduction</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}")
                .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #bbb;padding:3px 6px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}.warn{background:#fde2e2}.holds{color:#176117;font-weight:bold}")
                .append(".fails{color:#a11;font-weight:bold}.na{color:#777}img{max-width:100%;border:1px solid #ddd}")
                // wide tables scroll inside their box, never the page
                .append(".scroll{overflow-x:auto;max-width:100%}</style></head><body>\n");
        h.append("<h1>Toy MLP: Table 1, Fig. 2a, Fig. 12</h1>\n");
        h.append("<p>Reproduction of arXiv 2605.04971 (science.md E1/E2) by geocont. Command: <code>").append(esc(command)).append("</code></p>\n");
        h.append(String.format(Locale.ROOT, "<p>Random baseline for width %d: E|cos| = %.4f (std %.4f for one pair). "
                        + "A continuity near it means no alignment.</p>\n",
                table.groups().get(0).width(), table.baseline(), table.baselineStd()));

        List<String> bad = table.didNotLearn();
        if (!bad.isEmpty())
            h.append("<p class=\"warn\"><b>Warning:</b> these variants did not learn (test accuracy below twice chance in some seed), "
                    + "so their continuity says little: ").append(esc(String.join(", ", bad))).append(".</p>\n");

        h.append("<h2>Table 1</h2>\n<p>Means over seeds at the final epoch; &plusmn; = sample std over seeds. "
                + "accuracy = test accuracy; grad_coherence_epoch1 = v1 continuity of the epoch-1 weight gradients. "
                + "Rounded for reading; full precision in the CSV and JSON.</p>\n<div class=\"scroll\"><table><tr>");
        for (String c : Table1.COLUMNS) h.append("<th>").append(esc(c).replace("_", "_<wbr>")).append("</th>"); // headers break after '_' only
        h.append("</tr>\n");
        for (int i = 0; i < table.rows().size(); i++) {
            Table1.Row r = table.rows().get(i);
            boolean learned = table.groups().get(i).learned();
            h.append(learned ? "<tr>" : "<tr class=\"warn\" title=\"did not learn\">");
            for (Object v : r.values())
                h.append("<td>").append(v instanceof Double d ? rounded(d) : esc(String.valueOf(v)))
                        .append("</td>");
            h.append("</tr>\n");
        }
        h.append("</table></div>\n<p>Numbers: <a href=\"table1.csv\">table1.csv</a>, <a href=\"table1.json\">table1.json</a>; per run: "
                + "<code>&lt;run-id&gt;/log.jsonl</code> and <code>result.json</code>.</p>\n");

        h.append("<h2>science.md section 6, items 1-5 (computed from these runs)</h2>\n");
        for (var e : checksByOptimizer.entrySet()) {
            h.append("<h3>optimizer ").append(esc(e.getKey())).append("</h3>\n<div class=\"scroll\"><table><tr><th>item</th><th>claim</th><th>verdict</th><th>numbers</th></tr>\n");
            for (PaperChecks.Check c : e.getValue()) {
                String cls = switch (c.status()) { case HOLDS -> "holds"; case DOES_NOT_HOLD -> "fails"; case NOT_CHECKED -> "na"; };
                h.append("<tr><td>").append(c.item()).append("</td><td style=\"text-align:left\">").append(esc(c.claim()))
                        .append("</td><td class=\"").append(cls).append("\">").append(c.status().label())
                        .append("</td><td style=\"text-align:left\">").append(esc(c.numbers())).append("</td></tr>\n");
            }
            h.append("</table></div>\n");
        }
        h.append("<p>How each item is tested is our choice [O]; see <code>io.geocont.experiments.PaperChecks</code>.</p>\n");

        h.append("<h2>Figures</h2>\n");
        for (MlpFigures.Figure f : figures)
            h.append("<figure><img src=\"").append(esc(f.name())).append(".png\" alt=\"").append(esc(f.caption()))
                    .append("\"><figcaption>").append(esc(f.caption())).append(" (<a href=\"").append(esc(f.name()))
                    .append(".svg\">SVG</a>)</figcaption></figure>\n");

        h.append("<h2>Configuration</h2>\n<p>Settings shared by all runs (from their result.json):</p>\n<table>");
        for (var e : table.commonConfig().entrySet())
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td style=\"text-align:left\">").append(esc(String.valueOf(e.getValue()))).append("</td></tr>");
        h.append("</table>\n<p>Our choices [O] (not fixed by the paper):</p>\n<ul>");
        for (String s : ourChoices) h.append("<li>").append(esc(s)).append("</li>");
        h.append("</ul>\n</body></html>\n");
        Path out = dir.resolve("report.html");
        AtomicFiles.writeString(out, h.toString());
        return out;
    }

    /** A table value for reading: 3 decimals below 10 (continuities, accuracies), 1 above (erank, degrees); a dash for undefined. */
    static String rounded(double d) {
        if (Double.isNaN(d)) return "&ndash;";
        return String.format(Locale.ROOT, Math.abs(d) >= 10 ? "%.1f" : "%.3f", d);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
