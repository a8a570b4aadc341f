package io.geocont.cli;

import io.geocont.linalg.svd.Svds;

import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdProvider;
import io.geocont.backend.Backend;
import io.geocont.backend.BackendUnavailableException;
import io.geocont.report.AnalysisReport;
import io.geocont.analysis.AnalysisResult;
import io.geocont.analysis.StackAnalyzer;
import io.geocont.analysis.SeriesAnalyzer;
import io.geocont.analysis.SeriesResult;
import io.geocont.report.ContinuityCsv;
import io.geocont.report.AllPairsReport;
import io.geocont.report.ShuffledBaselineReport;
import io.geocont.analysis.ShuffledSource;
import io.geocont.io.AtomicFiles;
import io.geocont.report.SeriesReport;
import io.geocont.io.checkpoint.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code geocont analyze PATH}: continuity of every projection of a pretrained checkpoint (weights only). */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Measure adjacent-layer continuity of a pretrained checkpoint's projections (q, k, v, o, gate, up, down).",
                "PATH: a .safetensors file, a shard index, an .onnx file, a PyTorch checkpoint (torch.save .bin/.pt), or a Hugging Face folder (config.json + weights)."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Checkpoint file or folder; several, or one folder of checkpoint-N / step-N / global_stepN subfolders, for a series over training steps.")
    List<Path> paths;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the curves (PNG+SVG) and analysis.json (default: geocont-out/analyze-<name>).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON result here (default: DIR/analysis.json).")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write one row per model, step, projection and layer pair (CSV, undefined pairs as empty cells).")
    Path csv;

    @Option(names = "--topk", defaultValue = "1", paramLabel = "K", description = "Singular triplets kept per matrix (default: ${DEFAULT-VALUE}); K > 1 adds top-K continuity.")
    int topk;

    @Option(names = "--exact", description = "Full SVD of every matrix instead of top-K subspace iteration (slow for large matrices).")
    boolean exact;

    @Option(names = "--layers", paramLabel = "A:B", description = "Only layers A..B-1 (Python-style slice; default: all).")
    String layers;

    @Option(names = "--vectors", paramLabel = "FILE", description = "Also write the kept singular triplets (float64 safetensors: layers.L.P.s/u/v) for comparison with other tools.")
    Path vectors;

    @Option(names = "--all-pairs", description = "Also write the layer x layer |cos| of v1 and u1 per projection (all-pairs.json and heat maps all-pairs-P-v1/u1) in DIR (one checkpoint only).")
    boolean allPairs;

    @Option(names = "--baseline", paramLabel = "KIND", description = "analytic (default): E|cos| of random unit vectors only; shuffled: also measure every matrix with its entries permuted at random (reads the weights twice; one checkpoint only).")
    String baseline = "analytic";

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of the shuffled baseline (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin BackendOption backend = new BackendOption();

    @Override public Integer call() throws Exception {
        if (topk < 1) throw new IllegalArgumentException("--topk must be >= 1, got " + topk);
        boolean shuffled = switch (baseline.toLowerCase(java.util.Locale.ROOT)) {
            case "analytic" -> false;
            case "shuffled" -> true;
            default -> throw new IllegalArgumentException("--baseline must be analytic or shuffled, got '" + baseline + "'");
        };
        List<SeriesAnalyzer.Step> series = SeriesSteps.of(paths);
        if (series != null) {
            if (vectors != null || allPairs || shuffled)
                throw new IllegalArgumentException("--vectors, --all-pairs and --baseline shuffled work on one checkpoint, not a series of " + series.size());
            return analyzeSeries(series);
        }
        Path path = paths.get(0);
        try (Checkpoint c = Checkpoint.open(path)) {
            int[] range = parseRange(layers, c.layers());
            Backend b = openBackend();
            try {
                Svds.Plan plan = plan(b);
                Svd svd = plan.svd();
                String svdName = plan.description();
                System.err.printf("analyze: %s, %d layers, projections %s, %s%n", c.name(), c.layers(),
                        c.projections().stream().map(p -> p.key).toList(), svdName);
                StackAnalyzer analyzer = new StackAnalyzer(svd, svdName, topk, (done, total, layer, perLayer, eta) ->
                        System.err.printf("analyze: layer %d/%d (index %d) %.2f s/layer, ETA %s%n", done, total, layer, perLayer, eta));
                AnalysisResult r = analyzer.analyze(modelOf(c), range[0], range[1], c.stacks(range[0], range[1]));
                System.out.print(AnalysisReport.table(r));
                var doc = AnalysisReport.json(r);
                if (shuffled) {
                    AnalysisResult rs = new StackAnalyzer(svd, svdName, topk, null).analyze(modelOf(c), range[0], range[1], ShuffledSource.of(c.stacks(range[0], range[1]), seed));
                    System.out.print(ShuffledBaselineReport.table(rs, seed));
                    doc.put("shuffled_baseline", ShuffledBaselineReport.json(rs, seed));
                }
                Path dir = out != null ? out : Path.of("geocont-out", "analyze-" + safe(path.toAbsolutePath().normalize().getFileName().toString()));
                Path jsonFile = json != null ? json : dir.resolve("analysis.json");
                AtomicFiles.writeJson(jsonFile, doc);
                if (csv != null) ContinuityCsv.write(csv, ContinuityCsv.of(r));
                var pngs = new java.util.ArrayList<>(AnalysisReport.plots(r, dir));
                if (allPairs) pngs.addAll(AllPairsReport.write(r, dir));
                if (vectors != null) AnalysisReport.writeVectors(r, vectors);
                System.err.println("analyze: wrote " + jsonFile + (csv != null ? ", " + csv : "") + (pngs.isEmpty() ? " (no figures)" : " and " + pngs + " (+ .svg)"));
            } finally {
                if (b != null) b.close();
            }
        }
        return 0;
    }

    /** Every checkpoint of a series through one analyzer; numbers are written before the figures. */
    private Integer analyzeSeries(List<SeriesAnalyzer.Step> steps) throws Exception {
        Backend b = openBackend();
        try {
            Svds.Plan plan = plan(b);
            System.err.printf("analyze: series of %d checkpoints (steps %s), %s%n", steps.size(),
                    steps.stream().map(SeriesAnalyzer.Step::step).toList(), plan.description());
            StackAnalyzer analyzer = new StackAnalyzer(plan.svd(), plan.description(), topk, (done, total, layer, perLayer, eta) ->
                    System.err.printf("analyze: layer %d/%d (index %d) %.2f s/layer, ETA %s%n", done, total, layer, perLayer, eta));
            SeriesResult s = new SeriesAnalyzer(analyzer).analyze(steps, n -> parseRange(layers, n));
            System.out.print(SeriesReport.table(s));
            Path first = paths.get(0).toAbsolutePath().normalize();
            Path dir = out != null ? out : Path.of("geocont-out", "series-" + safe(first.getFileName().toString()));
            Path jsonFile = json != null ? json : dir.resolve("series.json");
            SeriesReport.writeJson(s, jsonFile);
            if (csv != null) ContinuityCsv.write(csv, ContinuityCsv.of(s));
            var pngs = SeriesReport.plots(s, dir);
            System.err.println("analyze: wrote " + jsonFile + (csv != null ? ", " + csv : "") + (pngs.isEmpty() ? " (no figures)" : " and " + pngs + " (+ .svg)"));
        } finally {
            if (b != null) b.close();
        }
        return 0;
    }

    private Svds.Plan plan(Backend b) {
        return Svds.plan(exact ? Svds.Need.ALL : Svds.Need.TOP_K, topk, 0, 0, b instanceof SvdProvider device ? device : null);
    }

    /** The chosen backend, or null when "auto" finds none (the host SVD needs no backend). */
    private Backend openBackend() {
        try {
            return backend.open();
        } catch (BackendUnavailableException e) {
            if (!backend.backend.equalsIgnoreCase("auto")) throw e;
            System.err.println("analyze: no compute backend available (" + e.getMessage() + "); using the host SVD");
            return null;
        }
    }

    static int[] parseRange(String spec, int layers) {
        if (spec == null) return new int[] {0, layers};
        String[] parts = spec.split(":", -1);
        if (parts.length != 2) throw new IllegalArgumentException("--layers must be A:B (e.g. 0:8), got '" + spec + "'");
        try {
            int a = parts[0].isBlank() ? 0 : Integer.parseInt(parts[0].trim());
            int b = parts[1].isBlank() ? layers : Integer.parseInt(parts[1].trim());
            if (a < 0) a += layers;
            if (b < 0) b += layers;
            if (a < 0 || b > layers || b - a < 2)
                throw new IllegalArgumentException("--layers " + spec + ": need at least 2 layers within 0:" + layers);
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--layers must be A:B with integers, got '" + spec + "'");
        }
    }

    /** What the analyzer reports a checkpoint as. */
    static StackAnalyzer.Model modelOf(Checkpoint c) {
        return new StackAnalyzer.Model(c.name(), c.store().describe(), c.architecture().family().name(), c.layers());
    }

    static String safe(String s) { return s.replaceAll("[^A-Za-z0-9._-]", "_"); }
}
