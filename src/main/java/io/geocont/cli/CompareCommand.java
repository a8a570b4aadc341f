package io.geocont.cli;

import io.geocont.analysis.Comparison;
import io.geocont.analysis.ComparisonResult;
import io.geocont.analysis.StackAnalyzer;
import io.geocont.io.AtomicFiles;
import io.geocont.io.checkpoint.Checkpoint;
import io.geocont.linalg.svd.Svds;
import io.geocont.report.ComparisonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code geocont compare A B}: how a fine-tune B moved A's leading directions, and how continuous the change W_B - W_A is. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two same-shaped checkpoints (e.g. a base model A and its fine-tune B): per projection and layer,",
                "|cos| between A's and B's leading singular vectors, and the adjacent-layer continuity of the difference W_B - W_A."})
public final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "The reference checkpoint (file or folder, as for analyze).")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The checkpoint compared with it.")
    Path b;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON result here.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write one row per projection and layer (CSV, undefined values as empty cells).")
    Path csv;

    @Option(names = "--exact", description = "Full SVD of every matrix instead of the top-1 Lanczos.")
    boolean exact;

    @Option(names = "--layers", paramLabel = "A:B", description = "Only layers A..B-1 (Python-style slice; default: all).")
    String layers;

    @Override public Integer call() throws Exception {
        try (Checkpoint ca = Checkpoint.open(a); Checkpoint cb = Checkpoint.open(b)) {
            if (ca.architecture().family() != cb.architecture().family() || ca.layers() != cb.layers())
                throw new IllegalArgumentException(b + " is " + describe(cb) + " but " + a + " is " + describe(ca) + " (compare needs same-shaped checkpoints)");
            int[] range = AnalyzeCommand.parseRange(layers, ca.layers());
            Svds.Plan plan = Svds.plan(exact ? Svds.Need.ALL : Svds.Need.TOP_K, 1, 0, 0, null);
            System.err.printf("compare: %s vs %s, %d layers, %s%n", ca.name(), cb.name(), range[1] - range[0], plan.description());
            String[] passes = {"A", "B", "B - A"};
            int[] pass = {0}; // Comparison runs A, B, then the difference through this one analyzer, in that order
            StackAnalyzer analyzer = new StackAnalyzer(plan.svd(), plan.description(), 1, (done, total, layer, perLayer, eta) -> {
                System.err.printf("compare: %s layer %d/%d (index %d) %.2f s/layer, ETA %s%n", passes[Math.min(pass[0], 2)], done, total, layer, perLayer, eta);
                if (done == total) pass[0]++;
            });
            ComparisonResult r = Comparison.compare(analyzer, AnalyzeCommand.modelOf(ca), ca.stacks(range[0], range[1]),
                    AnalyzeCommand.modelOf(cb), cb.stacks(range[0], range[1]), range[0], range[1]);
            System.out.print(ComparisonReport.table(r));
            if (json != null) ComparisonReport.writeJson(r, json);
            if (csv != null) AtomicFiles.writeString(csv, ComparisonReport.csv(r));
        }
        return 0;
    }

    private static String describe(Checkpoint c) {
        return c.architecture().family().name().toLowerCase(java.util.Locale.ROOT) + " naming with " + c.layers() + " layers";
    }
}
