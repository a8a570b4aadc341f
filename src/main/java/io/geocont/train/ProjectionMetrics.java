package io.geocont.train;

import io.geocont.analysis.Continuity;
import io.geocont.analysis.Continuity.Side;
import io.geocont.backend.Tensor;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.svd.Svds;
import io.geocont.models.transformer.TransformerModel;
import io.geocont.monitor.ContinuityMonitor;
import io.geocont.monitor.ContinuityRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-projection continuity of a transformer (Fig. 3): one {@link ContinuityMonitor} per
 * projection type (exact SVDs), whose first measurement (step 0) is the reference of the move
 * ratio, plus the mean-direction diagnostic of science.md section 5: |cos| of v1 with the mean
 * input direction and of u1 with the mean output direction, measured on activations of the
 * model's last forward pass (a held-out batch).
 */
public final class ProjectionMetrics {
    static final ContinuityMonitor.Options OPTIONS = new ContinuityMonitor.Options(8, Svds.Need.ALL);
    private final Map<String, ContinuityMonitor> monitors = new LinkedHashMap<>();

    /** Fresh monitors: the next {@link #measure} is the reference. */
    public ProjectionMetrics() {
        for (String p : TransformerModel.PROJECTIONS) monitors.put(p, new ContinuityMonitor(OPTIONS));
    }

    /** Monitors where a checkpoint left them ({@link #states}, {@link #arrays}). */
    public static ProjectionMetrics restore(Map<String, ContinuityMonitor.State> states, Map<String, float[]> arrays) {
        ProjectionMetrics m = new ProjectionMetrics();
        for (String p : TransformerModel.PROJECTIONS) {
            Map<String, float[]> mine = new HashMap<>();
            String prefix = p + ":";
            for (var e : arrays.entrySet()) if (e.getKey().startsWith(prefix)) mine.put(e.getKey().substring(prefix.length()), e.getValue());
            m.monitors.put(p, ContinuityMonitor.restore(OPTIONS, states == null ? null : states.get(p), mine));
        }
        return m;
    }

    public Map<String, ContinuityMonitor.State> states() {
        Map<String, ContinuityMonitor.State> out = new LinkedHashMap<>();
        monitors.forEach((p, m) -> out.put(p, m.state()));
        return out;
    }

    /** Every monitor's arrays, named "projection:array". */
    public Map<String, float[]> arrays() {
        Map<String, float[]> out = new LinkedHashMap<>();
        monitors.forEach((p, m) -> m.arrays().forEach((k, v) -> out.put(p + ":" + k, v)));
        return out;
    }

    /** Measures every projection; the model's caches must hold the forward of a held-out batch. */
    public Map<String, ProjectionStats> measure(TransformerModel m) {
        int layers = m.config().layers();
        // Mean directions of each distinct input tensor (q, k, v share one), computed once.
        Map<Tensor, double[][]> means = new IdentityHashMap<>();
        Map<String, ProjectionStats> out = new LinkedHashMap<>();
        for (String p : TransformerModel.PROJECTIONS) {
            List<Matrix> ws = weights(m, p);
            ContinuityMonitor monitor = monitors.get(p);
            ContinuityRecord c = monitor.measure(ws);
            List<SvdResult> svd = monitor.lastWeightSvds();
            double[] inCos = new double[layers], outCos = new double[layers];
            for (int l = 0; l < layers; l++) {
                double[][] mm = means.computeIfAbsent(m.projectionInput(l, p), ProjectionMetrics::meanDirections);
                inCos[l] = Continuity.alignmentWith(List.of(svd.get(l)), Side.V, mm[0])[0];
                outCos[l] = Continuity.alignmentWith(List.of(svd.get(l)), Side.U, apply(ws.get(l), mm[1]))[0];
            }
            out.put(p, new ProjectionStats(p, c.rows(), c.cols(), c.v1Pairs(), c.v1Mean(), c.u1Pairs(), c.u1Mean(),
                    c.s2waMean(), c.s2waUMean(), c.erankMean(), c.baseline(), c.baselineU(),
                    inCos, Continuity.mean(inCos), outCos, Continuity.mean(outCos), c.updateRatio(), c.updateRatioMean()));
        }
        return out;
    }

    static List<Matrix> weights(TransformerModel m, String projection) {
        List<Matrix> ws = new ArrayList<>();
        for (int l = 0; l < m.config().layers(); l++) {
            Tensor w = m.projection(l, projection).value();
            ws.add(new Matrix(w.rows(), w.cols(), w.toArray()));
        }
        return ws;
    }

    /**
     * {mean of the row-normalized rows, mean of the raw rows} of an activation matrix. The first
     * is the "mean input direction"; W times the second is the mean of the projection's outputs
     * (the projections are linear and bias-free).
     */
    static double[][] meanDirections(Tensor x) {
        float[] a = x.toArray();
        int rows = x.rows(), cols = x.cols();
        double[] unit = new double[cols], raw = new double[cols];
        for (int r = 0; r < rows; r++) {
            double n = 0;
            for (int j = 0; j < cols; j++) n += (double) a[r * cols + j] * a[r * cols + j];
            double inv = n > 0 ? 1 / Math.sqrt(n) : 0;
            for (int j = 0; j < cols; j++) { unit[j] += a[r * cols + j] * inv; raw[j] += a[r * cols + j]; }
        }
        return new double[][] {unit, raw};
    }

    static double[] apply(Matrix w, double[] x) {
        double[] y = new double[w.rows()];
        for (int i = 0; i < w.rows(); i++) {
            double s = 0;
            for (int j = 0; j < w.cols(); j++) s += w.get(i, j) * x[j];
            y[i] = s;
        }
        return y;
    }
}
