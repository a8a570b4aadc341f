package io.geocont.train;

import io.geocont.analysis.Continuity;
import io.geocont.analysis.Continuity.S2Variant;
import io.geocont.analysis.Continuity.Side;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.svd.Svds;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The per-epoch continuity metrics of a stack of hidden weight matrices (host copies). Weights
 * get a full SVD (top-k, s2-WA and erank need every direction); gradient sums and W - W_init
 * need only their leading direction, found by the planner's top-1 SVD ({@link Svds#plan}).
 */
public final class HiddenLayerMetrics {
    /** What the weight SVDs gave: the values an epoch record needs from the weights themselves. */
    public record WeightPart(double v1Mean, double[] v1Pairs, double u1Mean, double[] u1Pairs, double topkV1Mean,
                             double overlapVMean, double s2wa, double s2waBoth, double s2waSq, double erankMean,
                             double[] erankLayers, double[] s1Layers, double[][] v1) { }

    private final Svd svd;
    private final int topK;

    public HiddenLayerMetrics(Svd svd, int topK) {
        this.svd = svd;
        this.topK = topK;
    }

    public WeightPart weights(List<Matrix> ws) {
        // one independent decomposition per layer: spread over the cores (results do not depend on it)
        List<SvdResult> stack = ws.parallelStream().map(svd::decompose).toList();
        int k = Math.min(topK, stack.get(0).k());
        double[] v1 = Continuity.pairs(stack, Side.V, 0);
        double[] u1 = Continuity.pairs(stack, Side.U, 0);
        double[] erank = new double[stack.size()];
        double[] s1 = new double[stack.size()];
        double[][] lead = new double[stack.size()][];
        for (int l = 0; l < stack.size(); l++) {
            erank[l] = Continuity.effectiveRank(stack.get(l));
            s1[l] = stack.get(l).s()[0];
            lead[l] = stack.get(l).v()[0];
        }
        return new WeightPart(mean(v1), v1, mean(u1), u1,
                mean(Continuity.topK(stack, Side.V, k)), mean(Continuity.subspaceOverlap(stack, Side.V, k)),
                mean(Continuity.s2Weighted(stack, Side.V, S2Variant.LOWER_LAYER)),
                mean(Continuity.s2Weighted(stack, Side.V, S2Variant.BOTH_LAYERS)),
                mean(Continuity.s2Weighted(stack, Side.V, S2Variant.SQUARED_COS)),
                mean(erank), erank, s1, lead);
    }

    /** Per-pair {@code |<v1(l), v1(l+1)>|} of the leading right singular vectors of each matrix. */
    public static double[] leadingV1Pairs(List<Matrix> ms) {
        // a zero or tied gradient sum has no leading direction: its pairs are NaN (null in the log)
        return Continuity.pairs(Continuity.decomposeAll(ms, Svds.plan(Svds.Need.TOP_K, 1, 0, 0, null).svd()), Side.V, 0);
    }

    public static double[] adjacentAbsCos(double[][] v) {
        double[] out = new double[Math.max(0, v.length - 1)];
        for (int l = 0; l + 1 < v.length; l++) out[l] = Math.min(1.0, Math.abs(dot(v[l], v[l + 1])));
        return out;
    }

    /** Per layer {@code arccos|<now_l, ref_l>|} in degrees (unit vectors). */
    public static double[] driftDegrees(double[][] now, double[][] ref) {
        double[] out = new double[now.length];
        for (int l = 0; l < now.length; l++) out[l] = Math.toDegrees(Math.acos(Math.min(1.0, Math.abs(dot(now[l], ref[l])))));
        return out;
    }

    /** Per layer s1(W - W_init) / s1(W_init). */
    public static double[] updateRatios(List<Matrix> now, List<Matrix> init, double[] initS1) {
        double[] out = new double[now.size()];
        io.geocont.linalg.Parallel.forEach(now.size(), l -> {
            float[] a = now.get(l).data(), b = init.get(l).data();
            float[] diff = new float[a.length];
            for (int i = 0; i < a.length; i++) diff[i] = a[i] - b[i];
            Matrix dm = new Matrix(now.get(l).rows(), now.get(l).cols(), diff);
            out[l] = initS1[l] > 0 ? Svds.s1(dm) / initS1[l] : Double.NaN;
        });
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    public static double mean(double[] xs) {
        if (xs == null || xs.length == 0) return Double.NaN;
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.length;
    }
}
