package io.geocont.cli;

import io.geocont.linalg.SvdProvider;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.LayerSource;

import io.geocont.linalg.TopKOptions;
import io.geocont.linalg.svd.Svds;

import io.geocont.analysis.Continuity;
import io.geocont.analysis.Eta;
import io.geocont.analysis.StackAnalyzer;
import io.geocont.linalg.GramOperator;
import io.geocont.analysis.Continuity.ContinuityReport;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdNotConvergedException;
import io.geocont.linalg.SvdResult;
import io.geocont.io.AtomicFiles;
import io.geocont.io.Npy;
import io.geocont.io.checkpoint.SafetensorsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * {@code geocont continuity FILE.npy}: leading-singular-vector continuity of a weight stack
 * [L, out, in] (v1 in input space, u1 in output space), each next to the random baseline of its
 * dimension. {@code --example} runs on two embedded stacks (random vs a planted shared direction).
 */
@Command(name = "continuity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Adjacent-layer continuity of a weight stack saved as .npy [layers, out, in] (float32/float64, C order)",
                "or as one 2-D tensor per layer in a .safetensors file (--tensors PATTERN):",
                "per pair |cos| of the leading right (v1, input space) and left (u1, output space) singular vectors,",
                "their means, and the random baseline E|cos| for each dimension."})
public final class ContinuityCommand implements Callable<Integer> {
    /** Above this many rows or columns the default SVD is top-1 subspace iteration instead of exact Jacobi. */

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "FILE.npy: weight stack [layers, out, in] (each layer out x in, y = W x); FILE.safetensors: with --tensors.")
    Path file;

    @Option(names = "--tensors", paramLabel = "PATTERN",
            description = "For a .safetensors FILE: the per-layer tensor names with {} for the layer index, e.g. 'model.layers.{}.self_attn.q_proj.weight'.")
    String tensors;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON (atomically).")
    Path json;

    @Option(names = "--topk", paramLabel = "K", description = "Use top-K subspace iteration (fast for large matrices).")
    Integer topk;

    @Option(names = "--max-iter", defaultValue = "1500", paramLabel = "N",
            description = "Top-k iteration limit in passes over the matrix (default: ${DEFAULT-VALUE}); a layer that has not converged by then is reported as undefined (its pairs are left out of the means).")
    int maxIter;

    @Option(names = "--exact", description = "Use the exact SVD (one-sided Jacobi) whatever the size.")
    boolean exact;

    @Option(names = "--example", description = "Run on two embedded example stacks (random Gaussian, and a shared planted direction); no file needed.")
    boolean example;

    @Option(names = "--write-example", paramLabel = "FILE", description = "Write the planted-direction example stack as .npy (float32 [12, 128, 128]) and exit.")
    Path writeExample;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the example stacks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin BackendOption backend; // --backend cuda runs the SVDs on the GPU; auto and cpu keep them on the host

    /** The device the SVD planner may use (only with an explicit --backend cuda), else null. */
    private SvdProvider device;

    @Spec CommandSpec spec;

    static final int EXAMPLE_LAYERS = 12, EXAMPLE_DIM = 128;
    static final double EXAMPLE_STRENGTH = 6;

    @Override public Integer call() throws Exception {
        if (!backend.backend.equalsIgnoreCase("cuda")) return run();
        try (io.geocont.backend.Backend b = backend.open()) { // a missing GPU is a clear error here, not a silent CPU run
            if (!(b instanceof SvdProvider p))
                throw new IllegalArgumentException("--backend cuda opened " + b.getClass().getSimpleName() + ", which has no SVD of its own");
            device = p;
            return run();
        }
    }

    private Integer run() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (exact && topk != null) throw new IllegalArgumentException("--exact and --topk exclude each other");
        if (topk != null && topk < 1) throw new IllegalArgumentException("--topk needs K >= 1, got " + topk);
        if (writeExample != null) {
            Npy.writeStack(writeExample, plantedStack(EXAMPLE_LAYERS, EXAMPLE_DIM, EXAMPLE_DIM, EXAMPLE_STRENGTH, seed));
            out.println("wrote " + writeExample + ": " + EXAMPLE_LAYERS + " layers of " + EXAMPLE_DIM + "x" + EXAMPLE_DIM
                    + " float32, each s*u*v^T + Gaussian noise with one shared (u, v), s = " + EXAMPLE_STRENGTH + " (noise edge 2)");
            return 0;
        }
        if (example) {
            if (file != null) throw new IllegalArgumentException("--example takes no FILE");
            List<Matrix> random = randomStack(EXAMPLE_LAYERS, EXAMPLE_DIM, EXAMPLE_DIM, seed);
            List<Matrix> planted = plantedStack(EXAMPLE_LAYERS, EXAMPLE_DIM, EXAMPLE_DIM, EXAMPLE_STRENGTH, seed);
            out.println("Example 1: " + EXAMPLE_LAYERS + " random Gaussian layers (no shared structure): expect the baseline.");
            ContinuityReport r = analyze("random example", Layers.of(random), out);
            out.println();
            out.println("Example 2: " + EXAMPLE_LAYERS + " layers s*u*v^T + noise sharing one (u, v), s = " + EXAMPLE_STRENGTH + ": expect close to 1.");
            ContinuityReport p = analyze("planted example", Layers.of(planted), out);
            out.println();
            out.printf("Summary: v1 continuity %.3f (random) vs %.3f (planted); baseline %.3f.%n", r.v1Mean(), p.v1Mean(), r.baselineV());
            out.println("Run it on your own stack: geocont continuity --write-example ex.npy && geocont continuity ex.npy");
            if (json != null) {
                Map<String, Object> both = new LinkedHashMap<>();
                both.put("random", toJson(r));
                both.put("planted", toJson(p));
                AtomicFiles.writeJson(json, both);
                out.println("wrote " + json);
            }
            return 0;
        }
        if (file == null) throw new IllegalArgumentException("give a FILE.npy, or --example to run on the embedded example");
        ContinuityReport r;
        if (file.getFileName().toString().endsWith(".safetensors") || tensors != null) {
            try (SafetensorsStore store = SafetensorsStore.open(file)) {
                r = analyze(file + " [" + tensors + "]", SafetensorsLayers.of(store, file, tensors), out);
            }
        } else try (Npy.Reader reader = Npy.open(file)) {
            if (reader.layers() < 2)
                throw new IllegalArgumentException(file + ": holds " + reader.layers() + " layer; continuity needs a 3-D stack [layers >= 2, out, in]");
            r = analyze(file.toString(), Layers.of(reader), out);
        }
        if (json != null) {
            AtomicFiles.writeJson(json, toJson(r));
            out.println("wrote " + json);
        }
        return 0;
    }

    /** Layers read on demand, so a file's stack is never in memory whole. */
    interface Layers extends LayerSource {
        int rows();
        int cols();
        Matrix get(int l) throws IOException;

        @Override default GramOperator layer(int l) throws IOException { return get(l); }

        @Override default String describe() { return size() + " layers of " + rows() + "x" + cols(); }

        static Layers of(List<Matrix> list) {
            return new Layers() {
                public int size() { return list.size(); }
                public int rows() { return list.get(0).rows(); }
                public int cols() { return list.get(0).cols(); }
                public Matrix get(int l) { return list.get(l); }
            };
        }

        static Layers of(Npy.Reader r) {
            return new Layers() {
                public int size() { return r.layers(); }
                public int rows() { return r.rows(); }
                public int cols() { return r.cols(); }
                public Matrix get(int l) throws IOException { return r.layer(l); }
            };
        }
    }

    private ContinuityReport analyze(String name, Layers stack, PrintWriter out) throws IOException {
        int rows = stack.rows(), cols = stack.cols();
        if (maxIter < 1) throw new IllegalArgumentException("--max-iter needs N >= 1, got " + maxIter);
        Svds.Need need = exact ? Svds.Need.ALL : topk != null ? Svds.Need.TOP_K : Svds.Need.AUTO;
        Svds.Plan plan = Svds.plan(need, topk == null ? 1 : topk, rows, cols, device, TopKOptions.DEFAULTS.withMaxIterations(maxIter).withOnLimit(TopKOptions.OnLimit.FLAG));
        Svd svd = plan.svd();
        String how = plan.description();
        out.printf("%s: %d layers of %d x %d (out x in); SVD: %s%n", name, stack.size(), rows, cols, how);
        out.flush();
        ContinuityReport r = Continuity.report(decompose(stack, svd));
        out.printf("%-8s %10s %10s%n", "pair", "v1 |cos|", "u1 |cos|");
        for (int l = 0; l < r.v1Pairs().length; l++)
            out.printf("%-8s %10s %10s%n", l + "-" + (l + 1), num(r.v1Pairs()[l]), num(r.u1Pairs()[l]));
        out.printf("mean v1 |cos| %s   random baseline (d=%d) %.4f   ratio %sx%n", num(r.v1Mean()), cols, r.baselineV(), num2(r.v1Ratio()));
        out.printf("mean u1 |cos| %s   random baseline (d=%d) %.4f   ratio %sx%n", num(r.u1Mean()), rows, r.baselineU(), num2(r.u1Ratio()));
        for (int l = 0; l < r.undefined().size(); l++)
            if (r.undefined().get(l) != null)
                out.println("undefined: layer " + l + ": " + r.undefined().get(l) + " (its pairs are left out of the means; null in --json)");
        out.flush();
        return r;
    }

    /** Decomposes every layer (read on demand), with progress on stderr when it takes a while. */
    private List<SvdResult> decompose(Layers stack, Svd svd) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        long work = (long) stack.rows() * stack.cols();
        boolean verbose = work >= 512L * 512;
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        return StackAnalyzer.decomposeAll(stack, svd, work * Float.BYTES, 64L << 20, l -> {
            int d = done.incrementAndGet();
            if (verbose) {
                double el = (System.nanoTime() - t0) / 1e9;
                synchronized (err) {
                    err.printf("  decomposed %d/%d layers (%.1f s, ETA %s)%n", d, stack.size(), el, Eta.format(el / d * (stack.size() - d)));
                    err.flush();
                }
            }
        });
    }

    private static String num(double x) { return Double.isNaN(x) ? "undefined" : String.format(java.util.Locale.ROOT, "%.4f", x); }

    private static String num2(double x) { return Double.isNaN(x) ? "undefined" : String.format(java.util.Locale.ROOT, "%.2f", x); }

    /** The JSON schema: layers, shape, baseline (of v1), v1 and u1 {mean, pairs}; per-side baselines when in != out. */
    static Map<String, Object> toJson(ContinuityReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", r.layers());
        m.put("shape", List.of(r.rows(), r.cols()));
        m.put("baseline", r.baselineV());
        if (r.rows() != r.cols()) {
            m.put("baseline_v1", r.baselineV());
            m.put("baseline_u1", r.baselineU());
        }
        m.put("v1", side(r.v1Mean(), r.v1Pairs()));
        m.put("u1", side(r.u1Mean(), r.u1Pairs()));
        if (r.undefined().stream().anyMatch(java.util.Objects::nonNull)) m.put("undefined", r.undefined());
        return m;
    }

    private static Map<String, Object> side(double mean, double[] pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);   // NaN (undefined) is written as null by the shared JSON mapper
        m.put("pairs", pairs);
        return m;
    }

    /** Layers with iid N(0, 1/in) entries (spectral edge about 1 + sqrt(out/in)). */
    static List<Matrix> randomStack(int layers, int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sd = 1 / Math.sqrt(cols);
        List<Matrix> out = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            float[] f = new float[rows * cols];
            for (int i = 0; i < f.length; i++) f[i] = (float) (sd * rng.nextGaussian());
            out.add(new Matrix(rows, cols, f));
        }
        return out;
    }

    /** randomStack plus s * u v^T with one unit pair (u, v) shared by every layer. */
    static List<Matrix> plantedStack(int layers, int rows, int cols, double strength, long seed) {
        List<Matrix> out = randomStack(layers, rows, cols, seed + 1000);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = unit(rows, rng), v = unit(cols, rng);
        for (Matrix w : out)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) w.data()[i * cols + j] += (float) (strength * u[i] * v[j]);
        return out;
    }

    private static double[] unit(int d, SplittableRandom rng) {
        double[] x = new double[d];
        double n = 0;
        for (int i = 0; i < d; i++) { x[i] = rng.nextGaussian(); n += x[i] * x[i]; }
        n = Math.sqrt(n);
        for (int i = 0; i < d; i++) x[i] /= n;
        return x;
    }
}
