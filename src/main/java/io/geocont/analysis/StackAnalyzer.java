package io.geocont.analysis;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.LayerSource;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a model's stacks layer by layer: reads one matrix (in its stored width where the
 * source can), keeps its leading k singular triplets, drops the matrix. Only one weight matrix
 * (plus the SVD's workspace) is resident at a time, so an 8B model needs a few hundred MiB of
 * heap, not its size.
 */
public final class StackAnalyzer {
    /** Told after each layer: layers done, total, the layer's index, mean seconds per layer, ETA text. */
    public interface Progress {
        void layerDone(int done, int total, int layer, double secondsPerLayer, String eta);
    }

    /** What is being analyzed, for the result. */
    public record Model(String name, String source, String family, int layers) { }

    private final Svd svd;
    private final String svdName;
    private final int k;
    private final Progress progress;

    /** {@code progress} is told after each layer (null: silent). */
    public StackAnalyzer(Svd svd, String svdName, int k, Progress progress) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        this.svd = svd;
        this.svdName = svdName;
        this.k = k;
        this.progress = progress;
    }

    /**
     * Analyzes layers [from, to) of every stack; {@code stacks} maps a projection key to its
     * layers, where index 0 is layer {@code from}.
     */
    public AnalysisResult analyze(Model model, int from, int to, Map<String, LayerSource> stacks) throws IOException {
        if (from < 0 || to > model.layers() || to - from < 2)
            throw new IllegalArgumentException("layer range " + from + ":" + to + " must lie in 0:" + model.layers()
                    + " and hold at least 2 layers");
        int n = to - from;
        Map<String, List<SvdResult>> kept = new LinkedHashMap<>();
        Map<String, double[]> seconds = new LinkedHashMap<>(), cpuSeconds = new LinkedHashMap<>();
        for (var e : stacks.entrySet()) {
            if (e.getValue().size() != n)
                throw new IllegalArgumentException(e.getKey() + ": " + e.getValue().size() + " layers, expected " + n);
            kept.put(e.getKey(), new ArrayList<>());
            seconds.put(e.getKey(), new double[n]);
            cpuSeconds.put(e.getKey(), new double[n]);
        }
        long start = System.nanoTime();
        for (int l = 0; l < n; l++) {
            for (var e : stacks.entrySet()) {
                long t0 = System.nanoTime(), c0 = processCpuNanos();
                GramOperator m = e.getValue().layer(l);
                SvdResult r = svd.decompose(m);
                m = null; // the matrix is dropped here: only the k triplets stay
                if (r.k() < k)
                    throw new IllegalStateException("SVD returned " + r.k() + " triplets, " + k + " were asked for (" + r.rows() + "x" + r.cols() + ")");
                kept.get(e.getKey()).add(r.leading(k));
                seconds.get(e.getKey())[l] = (System.nanoTime() - t0) / 1e9;
                cpuSeconds.get(e.getKey())[l] = c0 < 0 ? Double.NaN : (processCpuNanos() - c0) / 1e9;
            }
            if (progress != null) {
                double perLayer = (System.nanoTime() - start) / 1e9 / (l + 1);
                progress.layerDone(l + 1, n, from + l, perLayer, Eta.format(perLayer * (n - l - 1)));
            }
        }
        Map<String, AnalysisResult.ProjectionResult> out = new LinkedHashMap<>();
        for (String p : stacks.keySet()) out.put(p, summarize(p, kept.get(p), seconds.get(p), cpuSeconds.get(p)));
        return new AnalysisResult(model.name(), model.source(), model.family(), model.layers(), from, to, svdName, k, out, kept);
    }

    /**
     * Decomposes every layer of {@code source} (read on demand), several layers at once when each
     * is small (at most {@code parallelBelowBytes}), else one at a time so memory stays at one
     * matrix while the SVD itself runs in parallel. A layer whose SVD hits its iteration limit
     * keeps its estimate flagged unconverged: its leading pair is then undefined in every output.
     * {@code done} (may be null) is told each finished layer's index.
     */
    public static List<SvdResult> decomposeAll(LayerSource source, Svd svd, long bytesPerLayer, long parallelBelowBytes,
                                               java.util.function.IntConsumer done) throws IOException {
        int n = source.size();
        SvdResult[] res = new SvdResult[n];
        IOException[] failed = new IOException[1];
        java.util.function.IntConsumer one = l -> {
            try {
                GramOperator m = source.layer(l);
                try {
                    res[l] = svd.decompose(m);
                } catch (io.geocont.linalg.SvdNotConvergedException e) {
                    SvdResult est = e.estimate();
                    if (est == null) throw new IllegalStateException(source.describe() + " layer " + l + ": " + e.getMessage(), e);
                    res[l] = new SvdResult(est.rows(), est.cols(), est.s(), est.u(), est.v(), est.frobeniusSq(), est.complete(), false, est.nextS());
                }
                if (done != null) done.accept(l);
            } catch (IOException e) {
                synchronized (failed) { if (failed[0] == null) failed[0] = e; }
            }
        };
        if (bytesPerLayer <= parallelBelowBytes) io.geocont.linalg.Parallel.forEach(n, one);
        else for (int l = 0; l < n; l++) one.accept(l);
        if (failed[0] != null) throw failed[0];
        return List.of(res);
    }

    private AnalysisResult.ProjectionResult summarize(String p, List<SvdResult> stack, double[] seconds, double[] cpuSeconds) {
        double[] s1 = stack.stream().mapToDouble(r -> r.s()[0]).toArray();
        double[] ratio = stack.stream().mapToDouble(r -> r.s()[0] / r.s2()).toArray();
        double[] v = Continuity.pairs(stack, Continuity.Side.V, 0);
        double[] u = Continuity.pairs(stack, Continuity.Side.U, 0);
        SvdResult first = stack.get(0);
        return new AnalysisResult.ProjectionResult(p, first.rows(), first.cols(), s1, ratio, v, u, Continuity.mean(v), Continuity.mean(u),
                Continuity.randomBaseline(first.cols()), Continuity.randomBaseline(first.rows()),
                k > 1 ? Continuity.topK(stack, Continuity.Side.V, k) : null,
                k > 1 ? Continuity.topK(stack, Continuity.Side.U, k) : null,
                Continuity.undefinedLeadingPairs(stack), seconds, cpuSeconds);
    }

    /** CPU time of the whole process (all threads, GC and JIT included), or -1 where the JVM cannot tell. */
    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getProcessCpuTime();
        return -1;
    }
}
