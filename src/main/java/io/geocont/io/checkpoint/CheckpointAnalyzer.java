package io.geocont.io.checkpoint;

import io.geocont.analysis.Continuity;
import io.geocont.analysis.Matrix;
import io.geocont.analysis.Svd;
import io.geocont.analysis.SvdResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a checkpoint layer by layer: reads one projection, keeps its leading k singular
 * triplets, drops the matrix. Only one weight matrix (plus the SVD's workspace) is resident at a
 * time, so an 8B model needs a few hundred MiB of heap, not its size.
 */
public final class CheckpointAnalyzer {
    private final Svd svd;
    private final String svdName;
    private final int k;
    private final PrintStream progress;

    /** {@code progress} gets one line per layer (null: silent). */
    public CheckpointAnalyzer(Svd svd, String svdName, int k, PrintStream progress) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        this.svd = svd;
        this.svdName = svdName;
        this.k = k;
        this.progress = progress;
    }

    /** Analyzes layers [from, to) of every projection the checkpoint has. */
    public AnalysisResult analyze(Checkpoint c, int from, int to) throws CheckpointException {
        if (from < 0 || to > c.layers() || to - from < 2)
            throw new IllegalArgumentException("layer range " + from + ":" + to + " must lie in 0:" + c.layers()
                    + " and hold at least 2 layers");
        List<Projection> ps = c.projections();
        Map<Projection, List<SvdResult>> stacks = new EnumMap<>(Projection.class);
        for (Projection p : ps) stacks.put(p, new ArrayList<>());
        Map<Projection, double[]> seconds = new EnumMap<>(Projection.class), cpuSeconds = new EnumMap<>(Projection.class);
        for (Projection p : ps) {
            seconds.put(p, new double[to - from]);
            cpuSeconds.put(p, new double[to - from]);
        }
        long start = System.nanoTime();
        for (int l = from; l < to; l++) {
            for (Projection p : ps) {
                long t0 = System.nanoTime(), c0 = processCpuNanos();
                Matrix m = c.load(l, p);
                SvdResult r = svd.decompose(m);
                m = null; // the matrix is dropped here: only the k triplets stay
                stacks.get(p).add(truncate(r));
                seconds.get(p)[l - from] = (System.nanoTime() - t0) / 1e9;
                cpuSeconds.get(p)[l - from] = c0 < 0 ? Double.NaN : (processCpuNanos() - c0) / 1e9;
            }
            if (progress != null) {
                int done = l - from + 1, total = to - from;
                double perLayer = (System.nanoTime() - start) / 1e9 / done;
                progress.printf("analyze: layer %d/%d (index %d) %.2f s/layer, ETA %s%n", done, total, l, perLayer,
                        eta(perLayer * (total - done)));
            }
        }
        Map<Projection, AnalysisResult.ProjectionResult> out = new EnumMap<>(Projection.class);
        for (Projection p : ps) out.put(p, summarize(p, stacks.get(p), seconds.get(p), cpuSeconds.get(p)));
        return new AnalysisResult(c.name(), c.store().describe(), c.architecture().family().name(), c.layers(), from, to,
                svdName, k, out, stacks);
    }

    private SvdResult truncate(SvdResult r) {
        if (r.k() < k)
            throw new IllegalStateException("SVD returned " + r.k() + " triplets, " + k + " were asked for (" + r.rows() + "x" + r.cols() + ")");
        if (r.k() == k) return r;
        return new SvdResult(r.rows(), r.cols(), Arrays.copyOf(r.s(), k), Arrays.copyOf(r.u(), k), Arrays.copyOf(r.v(), k),
                r.frobeniusSq(), false);
    }

    private AnalysisResult.ProjectionResult summarize(Projection p, List<SvdResult> stack, double[] seconds, double[] cpuSeconds) {
        double[] s1 = stack.stream().mapToDouble(r -> r.s()[0]).toArray();
        double[] v = Continuity.pairs(stack, Continuity.Side.V, 0);
        double[] u = Continuity.pairs(stack, Continuity.Side.U, 0);
        SvdResult first = stack.get(0);
        return new AnalysisResult.ProjectionResult(p, first.rows(), first.cols(), s1, v, u, Continuity.mean(v), Continuity.mean(u),
                Continuity.randomBaseline(first.cols()), Continuity.randomBaseline(first.rows()),
                k > 1 ? Continuity.topK(stack, Continuity.Side.V, k) : null,
                k > 1 ? Continuity.topK(stack, Continuity.Side.U, k) : null, seconds, cpuSeconds);
    }

    /** CPU time of the whole process (all threads, GC and JIT included), or -1 where the JVM cannot tell. */
    static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return os.getProcessCpuTime();
        return -1;
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
