package io.geocont.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocont.analysis.Continuity;
import io.geocont.analysis.Continuity.S2Variant;
import io.geocont.analysis.Continuity.Side;
import io.geocont.linalg.F32RowKernels;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Parallel;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.svd.Svds;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Watches a stack of L same-shaped weight matrices (the hidden layers of a net, or one
 * projection type across a transformer's blocks) while any training loop trains them, and
 * gives the continuity records of Table 1 and Fig. 3 ({@link ContinuityRecord}). The loop calls
 * two methods:
 * <ul>
 *   <li>{@link #measure} with the current weights, once before training (the reference: update
 *       ratios are taken against these weights) and then whenever it wants a record, e.g. after
 *       every epoch; rotation drift is taken against the second measurement;</li>
 *   <li>{@link #step} with the layers' weight gradients after each backward pass, when it has
 *       them (optional): this feeds both gradient coherences, the cumulative gradient and dGW.</li>
 * </ul>
 * Matrices are {@link Matrix} (row-major float32, out x in as in y = W x); {@link #layers} wraps
 * plain arrays. The monitor copies what it keeps, so the caller may reuse its arrays. SVDs run
 * through {@link Svds#plan}: every triplet of the weights (effective rank and s2-WA need them),
 * the leading one of the gradient sums. Not thread-safe: one loop calls it ({@link #measureAsync}
 * runs the decompositions on the monitor's own thread, from copies). Its state survives a
 * checkpoint: {@link #state}, {@link #arrays} and {@link #restore}.
 *
 * <pre>{@code
 * ContinuityMonitor monitor = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
 * monitor.measure(ContinuityMonitor.layers(width, width, w));       // at initialization
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *     for (...) { backward(); monitor.step(ContinuityMonitor.layers(width, width, g)); update(); }
 *     ContinuityRecord r = monitor.measure(ContinuityMonitor.layers(width, width, w));
 * }
 * }</pre>
 */
public final class ContinuityMonitor {
    /**
     * How to measure.
     *
     * @param topK       k of the top-k and subspace-overlap metrics (capped at the matrices' rank)
     * @param weightSvd  how the weights are decomposed: {@link Svds.Need#ALL_FAST} (Gram-eigen, for
     *                   the small per-epoch matrices; what Table 1 uses) or {@link Svds.Need#ALL} (exact Jacobi)
     */
    public record Options(int topK, Svds.Need weightSvd) {
        public Options {
            if (topK < 1) throw new IllegalArgumentException("monitor options: topK must be >= 1, got " + topK);
            if (weightSvd != Svds.Need.ALL && weightSvd != Svds.Need.ALL_FAST)
                throw new IllegalArgumentException("monitor options: the weights need every triplet (ALL or ALL_FAST), got " + weightSvd);
        }

        /** k = 8 and the fast full SVD (the MLP experiment's settings). */
        public static Options defaults() { return new Options(8, Svds.Need.ALL_FAST); }

        public Options withTopK(int k) { return new Options(k, weightSvd); }

        public Options withWeightSvd(Svds.Need need) { return new Options(topK, need); }
    }

    /**
     * The small part of the monitor's state (the large part, {@link #arrays}, is float32 arrays).
     * Shapes are 0 before the first measurement.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record State(
            @JsonProperty("layers") int layers,
            @JsonProperty("rows") int rows,
            @JsonProperty("cols") int cols,
            @JsonProperty("measurements") int measurements,
            @JsonProperty("steps") long steps,
            @JsonProperty("steps_since_measure") int stepsSinceMeasure,
            @JsonProperty("init_s1") double[] initS1,
            @JsonProperty("drift_ref_v1") double[][] driftRefV1,
            @JsonProperty("flat_abs_sum") double[] flatAbsSum,
            @JsonProperty("flat_signed_sum") double[] flatSignedSum,
            @JsonProperty("step_seconds") double stepSeconds) { }

    /** Names of {@link #arrays}: the first measurement's weights, the cumulative and the running gradient sums. */
    public static final String W_INIT = "monitor:w_init", G_CUM = "monitor:gcum", G_SINCE = "monitor:gsince";

    private final Options options;
    private final Svd weightSvd, leadingSvd;
    private int layers, rows, cols;
    private int measurements;
    private long steps;
    private int stepsSince;
    private List<Matrix> wInit;
    private double[] initS1;
    private double[][] driftRef;
    private float[][] gCum, gSince;
    private double[] flatAbs, flatSigned;
    private double stepSeconds;
    private List<SvdResult> lastWeightSvds = List.of();
    /** measureAsync's measurements not yet waited for, oldest first. */
    private final ArrayDeque<CompletableFuture<ContinuityRecord>> inFlight = new ArrayDeque<>();
    private ExecutorService background;

    public ContinuityMonitor(Options options) {
        if (options == null) throw new IllegalArgumentException("monitor options are required");
        this.options = options;
        this.weightSvd = Svds.plan(options.weightSvd(), 0, 0, 0, null).svd();
        this.leadingSvd = Svds.plan(Svds.Need.TOP_K, 1, 0, 0, null).svd();
    }

    /** Wraps plain row-major arrays (one per layer, each rows x cols) as matrices, without copying. */
    public static List<Matrix> layers(int rows, int cols, float[]... data) {
        List<Matrix> out = new ArrayList<>(data.length);
        for (int l = 0; l < data.length; l++) {
            if (data[l] == null || data[l].length != (long) rows * cols)
                throw new IllegalArgumentException("layer " + l + " has " + (data[l] == null ? "no array" : data[l].length + " values")
                        + ", a " + rows + "x" + cols + " matrix needs " + (long) rows * cols);
            out.add(new Matrix(rows, cols, data[l]));
        }
        return out;
    }

    public Options options() { return options; }

    /** Measurements taken so far (the next record's index). */
    public int measurements() { return measurements; }

    /** The weights' decompositions of the last measurement (every triplet), for diagnostics of the caller's own. */
    public List<SvdResult> lastWeightSvds() {
        awaitPending();
        return lastWeightSvds;
    }

    /** Gradient steps handed over since the last measurement. */
    public int stepsSinceMeasure() { return stepsSince; }

    /**
     * Hands over one step's weight gradients (same layers and shapes as the weights): adds them
     * to the running and the cumulative gradient sums and records the flattened cosine of every
     * adjacent pair. Call it after the backward pass, before or after the update.
     */
    public void step(List<Matrix> gradients) {
        if (measurements == 0)
            throw new IllegalStateException("measure the initial weights before the first step (the reference of update ratio and dGW)");
        checkShapes(gradients, "gradients");
        float[][] arrays = new float[layers][];
        for (int l = 0; l < layers; l++) arrays[l] = gradients.get(l).data();
        accumulate(arrays, new int[layers]);
    }

    /**
     * {@link #step} for gradients stacked in one row-major array [layers, rows, cols] (what a
     * loop that keeps its layers in one tensor has), without splitting it.
     */
    public void stepStacked(float[] gradients) {
        if (measurements == 0)
            throw new IllegalStateException("measure the initial weights before the first step (the reference of update ratio and dGW)");
        int n = rows * cols;
        if (gradients == null || gradients.length != (long) layers * n)
            throw new IllegalArgumentException("stacked gradients: " + (gradients == null ? "no array" : gradients.length + " values")
                    + ", the monitor watches " + layers + " layers of " + rows + "x" + cols + " = " + (long) layers * n);
        float[][] arrays = new float[layers][];
        int[] offsets = new int[layers];
        for (int l = 0; l < layers; l++) { arrays[l] = gradients; offsets[l] = l * n; }
        accumulate(arrays, offsets);
    }

    /** Layer l is arrays[l][offsets[l] ..] (rows * cols values). */
    private void accumulate(float[][] arrays, int[] offsets) {
        long t0 = System.nanoTime();
        int n = rows * cols;
        double[] sq = new double[layers], dots = new double[layers - 1];
        // one pass per layer: its squared norm, its dot with the next layer, and both running sums.
        // On the calling thread: the pass is memory-bound and short (about 0.2 ms for the toy
        // MLP's 12 layers), and handing it to the pool every step cost more than it saved
        // (measured on 2 cores: 12-24% of training time through the pool, 3% inline; worse
        // still when a sweep trains two runs side by side)
        double[] out = new double[2];
        for (int l = 0; l < layers; l++) {
            boolean last = l + 1 == layers;
            F32RowKernels.squareDotAndAdd(arrays[l], offsets[l], last ? null : arrays[l + 1], last ? 0 : offsets[l + 1],
                    gSince[l], gCum[l], n, out);
            sq[l] = out[0];
            if (!last) dots[l] = out[1];
        }
        double[] cos = Continuity.flattenedCos(sq, dots);
        for (int p = 0; p < cos.length; p++) { flatAbs[p] += Math.abs(cos[p]); flatSigned[p] += cos[p]; }
        stepsSince++;
        steps++;
        stepSeconds += (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Measures the weights now. The first call fixes the reference (initial weights, their s1);
     * the second fixes the drift reference. Gradient fields cover the steps since the previous
     * call, which this call closes (they are null when there were none). Runs on the calling
     * thread and the pool; waits first for measurements still running from {@link #measureAsync}.
     */
    public ContinuityRecord measure(List<Matrix> weights) {
        long t0 = System.nanoTime();
        awaitPending();
        Snapshot s = snapshot(weights, false);
        ContinuityRecord r = compute(s, true, t0);
        closeInterval();   // only once the record exists: a measurement that throws leaves the sums as they were
        return r;
    }

    /**
     * {@link #measure}, with the decompositions on a background thread: the weights and the
     * gradient sums are copied now (a few milliseconds for 12 layers of 128 x 128 at most; the
     * caller may change its arrays as soon as this returns), the interval is closed now, and the
     * record follows when its SVDs are done. The records are the same, bit for bit, as
     * {@link #measure} gives for the same calls, and come in call order. For a loop that leaves
     * a core idle (a GPU training loop, a CPU one whose steps run on one thread): the measurement
     * then costs it the copy, not the SVDs. At most {@value #IN_FLIGHT} measurements are in
     * flight; a further call waits for the oldest. A measurement that fails (a non-finite weight)
     * completes its future exceptionally and keeps its index; later ones go on. {@link #state},
     * {@link #arrays}, {@link #lastWeightSvds} and {@link #measure} wait for the pending ones.
     * Where geocont may use one thread only ({@link Parallel#setThreads}), it measures on the
     * calling thread, as measure does, and returns the completed (or failed) future.
     */
    public CompletableFuture<ContinuityRecord> measureAsync(List<Matrix> weights) {
        if (Parallel.threads() == 1) { // one thread allowed (Parallel.setThreads, -Dgeocont.threads): measure here
            try {
                return CompletableFuture.completedFuture(measure(weights));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        long t0 = System.nanoTime();
        while (inFlight.size() >= IN_FLIGHT) waitForOldest();
        Snapshot s = snapshot(weights, true);
        closeInterval();
        long copyNanos = System.nanoTime() - t0;
        CompletableFuture<ContinuityRecord> f = CompletableFuture.supplyAsync(() -> compute(s, false, System.nanoTime() - copyNanos), background());
        inFlight.addLast(f);
        return f;
    }

    /** Measurements {@link #measureAsync} may have running or queued before a further call waits. */
    public static final int IN_FLIGHT = 2;

    /** Waits until every measurement handed to {@link #measureAsync} is done (failed ones included). */
    public void awaitPending() {
        while (!inFlight.isEmpty()) waitForOldest();
    }

    private void waitForOldest() {
        try {
            inFlight.peekFirst().join();
        } catch (CompletionException | CancellationException e) {
            // a failed measurement is reported through its own future, to whoever holds it
        }
        inFlight.removeFirst();
    }

    /**
     * What one measurement reads, taken at the call: the weights, both gradient sums and the
     * interval's flattened cosines, copied when the computation runs later on another thread.
     */
    private record Snapshot(int index, long steps, int stepsSince, List<Matrix> weights, List<Matrix> since,
                            List<Matrix> cumulative, double[] flatAbs, double[] flatSigned, double stepSeconds) { }

    private Snapshot snapshot(List<Matrix> weights, boolean copy) {
        if (measurements == 0) begin(weights);
        checkShapes(weights, "weights");
        List<Matrix> w = weights;
        if (copy) {
            w = new ArrayList<>(layers);
            for (Matrix m : weights) w.add(new Matrix(rows, cols, m.data().clone()));
        }
        return new Snapshot(measurements, steps, stepsSince, w, wrap(gSince, copy), wrap(gCum, copy),
                copy ? flatAbs.clone() : flatAbs, copy ? flatSigned.clone() : flatSigned, stepSeconds);
    }

    /** Ends the interval a measurement covers: the sums since the last measurement start again. */
    private void closeInterval() {
        for (float[] g : gSince) java.util.Arrays.fill(g, 0f);
        java.util.Arrays.fill(flatAbs, 0);
        java.util.Arrays.fill(flatSigned, 0);
        stepsSince = 0;
        stepSeconds = 0;
        measurements++;
    }

    /**
     * The record of one snapshot. Touches only the snapshot and the two fields that follow the
     * records in order (the drift reference, the last SVDs); measurements are computed one at a
     * time, in index order (measure waits for the background ones, which run on one thread).
     */
    private ContinuityRecord compute(Snapshot sn, boolean parallel, long t0) {
        List<Matrix> weights = sn.weights();
        // every decomposition of this measurement in one phase (they are independent): the weights
        // (every triplet), the leading pair of both gradient sums, s1(W - W_first)
        boolean since = sn.stepsSince() > 0, cumulative = sn.steps() > 0;
        SvdResult[] wr = new SvdResult[layers], gr = new SvdResult[layers], cr = new SvdResult[layers];
        double[] upd = new double[layers];
        // the caller and the pool's threads claim the tasks one at a time (Parallel.forEach), the long
        // ones first; each writes only its own slots, so results do not depend on who ran what; in the
        // background, one thread runs them in the same order
        java.util.function.IntConsumer task = q -> {
            int l = q % layers;
            switch (q / layers) {
                case 0 -> wr[l] = weightSvd.decompose(weights.get(l));
                case 1 -> { if (since) gr[l] = leadingSvd.decompose(sn.since().get(l)); }
                case 2 -> { if (cumulative) cr[l] = leadingSvd.decompose(sn.cumulative().get(l)); }
                default -> upd[l] = Continuity.updateRatio(weights.get(l), wInit.get(l), initS1[l]);
            }
        };
        if (parallel) Parallel.forEach(4 * layers, task);
        else for (int q = 0; q < 4 * layers; q++) task.accept(q);
        List<SvdResult> w = List.of(wr);
        lastWeightSvds = w;
        int k = Math.min(options.topK(), w.get(0).k());
        double[] v1 = Continuity.pairs(w, Side.V, 0), u1 = Continuity.pairs(w, Side.U, 0);
        double[] erank = new double[layers], s1 = new double[layers];
        double[][] lead = new double[layers][];
        for (int l = 0; l < layers; l++) {
            erank[l] = Continuity.effectiveRank(w.get(l));
            s1[l] = w.get(l).s()[0];
            lead[l] = w.get(l).v()[0];
        }
        Double gcV1 = null, gcFlat = null, gcFlatSigned = null, gcum = null, dgw = null, driftMean = null;
        double[] gcV1Pairs = null, gcFlatPairs = null, gcumPairs = null, drift = null;
        if (since) {
            gcV1Pairs = Continuity.pairs(List.of(gr), Side.V, 0);   // = Continuity.gradientContinuity of the sum
            gcV1 = Continuity.mean(gcV1Pairs);
            gcFlatPairs = new double[layers - 1];
            double[] signed = new double[layers - 1];
            for (int p = 0; p < layers - 1; p++) { gcFlatPairs[p] = sn.flatAbs()[p] / sn.stepsSince(); signed[p] = sn.flatSigned()[p] / sn.stepsSince(); }
            gcFlat = Continuity.mean(gcFlatPairs);
            gcFlatSigned = Continuity.mean(signed);
        }
        if (cumulative) {
            List<SvdResult> cum = List.of(cr);
            gcumPairs = Continuity.pairs(cum, Side.V, 0);
            gcum = Continuity.mean(gcumPairs);
            dgw = Continuity.cumulativeGradientGap(cum, w, Side.V);
        }
        if (sn.index() >= 1) {
            if (driftRef == null) driftRef = lead;
            drift = Continuity.rotationDriftDegrees(lead, driftRef);
            driftMean = Continuity.mean(drift);
        }
        return new ContinuityRecord(sn.index(), sn.steps(), layers, rows, cols,
                Continuity.randomBaseline(cols), Continuity.randomBaselineStd(cols), Continuity.randomBaseline(rows),
                Continuity.mean(v1), v1, Continuity.mean(u1), u1, Continuity.undefinedLeadingPairs(w), k,
                Continuity.mean(Continuity.topK(w, Side.V, k)), Continuity.mean(Continuity.subspaceOverlap(w, Side.V, k)),
                Continuity.mean(Continuity.s2Weighted(w, Side.V, S2Variant.LOWER_LAYER)),
                Continuity.mean(Continuity.s2Weighted(w, Side.V, S2Variant.BOTH_LAYERS)),
                Continuity.mean(Continuity.s2Weighted(w, Side.V, S2Variant.SQUARED_COS)),
                Continuity.mean(Continuity.s2Weighted(w, Side.U, S2Variant.LOWER_LAYER)),
                Continuity.mean(erank), erank, s1,
                gcV1, gcV1Pairs, gcFlat, gcFlatPairs, gcFlatSigned, gcum, gcumPairs, dgw,
                drift, driftMean, upd, Continuity.mean(upd), sn.stepSeconds(), (System.nanoTime() - t0) / 1e9);
    }

    /** The background thread of {@link #measureAsync}: one daemon thread, made when needed, gone after a second idle. */
    private ExecutorService background() {
        if (background == null) {
            ThreadPoolExecutor ex = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "geocont-monitor");
                t.setDaemon(true);
                return t;
            });
            ex.allowCoreThreadTimeOut(true);
            background = ex;
        }
        return background;
    }

    /** The first measurement: fixes the shapes and the reference weights. */
    private void begin(List<Matrix> weights) {
        if (weights == null || weights.size() < 2)
            throw new IllegalArgumentException("continuity needs at least 2 layers, got " + (weights == null ? 0 : weights.size()));
        layers = weights.size();
        rows = weights.get(0).rows();
        cols = weights.get(0).cols();
        checkShapes(weights, "weights");
        wInit = new ArrayList<>(layers);
        initS1 = new double[layers];
        for (int l = 0; l < layers; l++) {
            wInit.add(new Matrix(rows, cols, weights.get(l).data().clone()));
            initS1[l] = Svds.s1(wInit.get(l));
        }
        gCum = new float[layers][rows * cols];
        gSince = new float[layers][rows * cols];
        flatAbs = new double[layers - 1];
        flatSigned = new double[layers - 1];
    }

    private void checkShapes(List<Matrix> ms, String what) {
        if (ms == null || ms.size() != layers)
            throw new IllegalArgumentException(what + ": " + (ms == null ? 0 : ms.size()) + " layers handed over, the monitor watches " + layers);
        for (int l = 0; l < layers; l++) {
            Matrix m = ms.get(l);
            if (m.rows() != rows || m.cols() != cols)
                throw new IllegalArgumentException(what + ": layer " + l + " is " + m.rows() + "x" + m.cols() + ", the monitor watches "
                        + rows + "x" + cols + " layers");
        }
    }

    private List<Matrix> wrap(float[][] stack, boolean copy) {
        List<Matrix> out = new ArrayList<>(stack.length);
        for (float[] a : stack) out.add(new Matrix(rows, cols, copy ? a.clone() : a));
        return out;
    }

    // ---------------------------------------------------------------- checkpoint

    /** The small part of the state, for a checkpoint's JSON. */
    public State state() {
        awaitPending();
        return new State(layers, rows, cols, measurements, steps, stepsSince, initS1, driftRef, flatAbs, flatSigned, stepSeconds);
    }

    /**
     * The large part: the reference weights, the cumulative gradient sum (once a step was seen)
     * and the running one (between a step and the next measurement), each as one stack.
     */
    public Map<String, float[]> arrays() {
        awaitPending();
        Map<String, float[]> out = new LinkedHashMap<>();
        if (measurements == 0) return out;
        out.put(W_INIT, stack(wInit.stream().map(Matrix::data).toArray(float[][]::new)));
        if (steps > 0) out.put(G_CUM, stack(gCum));
        if (stepsSince > 0) out.put(G_SINCE, stack(gSince));
        return out;
    }

    /** A monitor exactly where {@link #state} and {@link #arrays} left it. */
    public static ContinuityMonitor restore(Options options, State s, Map<String, float[]> arrays) {
        ContinuityMonitor m = new ContinuityMonitor(options);
        if (s == null || s.measurements() == 0) return m;
        int n = s.rows() * s.cols();
        float[] w = need(arrays, W_INIT, (long) s.layers() * n);
        float[] cum = s.steps() > 0 ? need(arrays, G_CUM, (long) s.layers() * n) : new float[s.layers() * n];
        if (s.layers() < 2 || s.initS1() == null || s.initS1().length != s.layers() || s.flatAbsSum() == null
                || s.flatAbsSum().length != s.layers() - 1 || s.flatSignedSum() == null || s.flatSignedSum().length != s.layers() - 1)
            throw new IllegalArgumentException("monitor state does not fit its " + s.layers() + " layers");
        m.layers = s.layers(); m.rows = s.rows(); m.cols = s.cols();
        m.measurements = s.measurements(); m.steps = s.steps(); m.stepsSince = s.stepsSinceMeasure();
        m.initS1 = s.initS1().clone();
        m.driftRef = s.driftRefV1();
        m.flatAbs = s.flatAbsSum().clone();
        m.flatSigned = s.flatSignedSum().clone();
        m.stepSeconds = s.stepSeconds();
        m.wInit = new ArrayList<>();
        m.gCum = new float[m.layers][];
        m.gSince = new float[m.layers][];
        float[] since = m.stepsSince > 0 ? need(arrays, G_SINCE, (long) s.layers() * n) : null;
        for (int l = 0; l < m.layers; l++) {
            m.wInit.add(new Matrix(m.rows, m.cols, java.util.Arrays.copyOfRange(w, l * n, (l + 1) * n)));
            m.gCum[l] = java.util.Arrays.copyOfRange(cum, l * n, (l + 1) * n);
            m.gSince[l] = since != null ? java.util.Arrays.copyOfRange(since, l * n, (l + 1) * n) : new float[n];
        }
        return m;
    }

    private static float[] need(Map<String, float[]> arrays, String name, long size) {
        float[] a = arrays.get(name);
        if (a == null) throw new IllegalArgumentException("monitor state lacks the array '" + name + "'");
        if (a.length != size) throw new IllegalArgumentException("monitor array '" + name + "' has " + a.length + " values, expected " + size);
        return a;
    }

    private static float[] stack(float[][] parts) {
        int n = parts.length == 0 ? 0 : parts[0].length;
        float[] out = new float[parts.length * n];
        for (int l = 0; l < parts.length; l++) System.arraycopy(parts[l], 0, out, l * n, n);
        return out;
    }
}
