package io.geocont.analysis;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.Svd;
import io.geocont.linalg.svd.Svds;

import java.util.List;

/**
 * The continuity metrics of science.md section 3 on a stack of layers (layer l and l+1 are
 * "adjacent"). Every cosine is in absolute value, so the arbitrary signs of singular vectors
 * never matter. Public API: another tool calls these directly. All sums are float64.
 */
public final class Continuity {
    private Continuity() { }

    /** Which singular vectors: V = input space (right), U = output space (left). */
    public enum Side { V, U }

    /** How s^2-weighted continuity weighs direction i. */
    public enum S2Variant {
        /** w_i = s_i(l)^2 / ||W_l||_F^2, |cos| (the default). */
        LOWER_LAYER,
        /** w_i = average of the weights of layer l and l+1, |cos|. */
        BOTH_LAYERS,
        /** w_i as LOWER_LAYER, squared cosines. */
        SQUARED_COS
    }

    /**
     * Both sides of leading-vector continuity for one stack, with the random baselines of their
     * dimensions: v1 lives in R^cols (input space), u1 in R^rows (output space).
     *
     * @param layers    number of layers L (L-1 pairs)
     * @param rows      out dimension of every layer
     * @param cols      in dimension of every layer
     * @param baselineV E|cos| of random unit vectors in R^cols
     * @param baselineU E|cos| of random unit vectors in R^rows
     * @param v1Pairs   |cos(v1(l), v1(l+1))| per pair
     * @param v1Mean    their mean
     * @param u1Pairs   |cos(u1(l), u1(l+1))| per pair
     * @param u1Mean    their mean
     * @param undefined per layer, why its leading pair is undefined (null where it is defined);
     *                  pairs touching such a layer are NaN and left out of the means
     */
    public record ContinuityReport(int layers, int rows, int cols, double baselineV, double baselineU,
                                   double[] v1Pairs, double v1Mean, double[] u1Pairs, double u1Mean, List<String> undefined) {
        /** v1 mean / its baseline (1 = random, larger = continuity). */
        public double v1Ratio() { return v1Mean / baselineV; }
        /** u1 mean / its baseline. */
        public double u1Ratio() { return u1Mean / baselineU; }
    }

    // ---------------------------------------------------------------- random baseline

    /** E|cos| of two independent random unit vectors in R^d: Gamma(d/2)/(sqrt(pi) Gamma((d+1)/2)). */
    public static double randomBaseline(int d) {
        if (d < 1) throw new IllegalArgumentException("random baseline needs dimension d >= 1, got " + d);
        return Math.exp(logGamma(d / 2.0) - logGamma((d + 1) / 2.0) - 0.5 * Math.log(Math.PI));
    }

    /** Standard deviation of |cos| for independent random unit vectors in R^d (sqrt(1/d - baseline^2)). */
    public static double randomBaselineStd(int d) {
        double b = randomBaseline(d);
        return Math.sqrt(Math.max(0, 1.0 / d - b * b));
    }

    /** ln Gamma(x) for x > 0: Lanczos (g = 7, 9 terms), about 1e-15 relative; reflection below 0.5. */
    static double logGamma(double x) {
        if (!(x > 0)) throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
        if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        double z = x - 1;
        double sum = c[0];
        for (int i = 1; i < c.length; i++) sum += c[i] / (z + i);
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    // ---------------------------------------------------------------- per-pair metrics

    /**
     * Per-pair {@code |<x_i(l), x_i(l+1)>|} for the i-th singular vector (0 = leading); L-1 values. For the
     * leading vectors a pair is NaN (undefined) when either layer's leading pair is: s1 = 0 or
     * s1/s2 within {@link SvdResult#DEFAULT_TIE_TOLERANCE} of 1, where v1 and u1 are not determined
     * (see {@link #undefinedLeadingPairs}).
     */
    public static double[] pairs(List<SvdResult> stack, Side side, int i) {
        checkStack(stack, side, i + 1);
        double[] out = new double[stack.size() - 1];
        List<String> undefined = i == 0 ? undefinedLeadingPairs(stack) : null;
        for (int l = 0; l + 1 < stack.size(); l++)
            out[l] = undefined != null && (undefined.get(l) != null || undefined.get(l + 1) != null) ? Double.NaN
                    : Math.abs(dot(vec(stack.get(l), side, i), vec(stack.get(l + 1), side, i)));
        return out;
    }

    /** Per layer, why its leading singular vectors are undefined (see {@link SvdResult#leadingPairUndefined}), or null. */
    public static List<String> undefinedLeadingPairs(List<SvdResult> stack) {
        List<String> out = new java.util.ArrayList<>(stack.size());
        for (SvdResult r : stack) out.add(r.leadingPairUndefined(SvdResult.DEFAULT_TIE_TOLERANCE));
        return java.util.Collections.unmodifiableList(out);
    }

    /** Per-pair mean over {@code i < k} of {@code |<x_i(l), x_i(l+1)>|}. */
    public static double[] topK(List<SvdResult> stack, Side side, int k) {
        checkStack(stack, side, k);
        double[] out = new double[stack.size() - 1];
        for (int i = 0; i < k; i++) {
            double[] p = pairs(stack, side, i);
            for (int l = 0; l < out.length; l++) out[l] += p[l] / k;
        }
        return out;
    }

    /** Per-pair subspace overlap ||X_k(l)^T X_k(l+1)||_F^2 / k (1 = same subspace, k/d = random). */
    public static double[] subspaceOverlap(List<SvdResult> stack, Side side, int k) {
        checkStack(stack, side, k);
        double[] out = new double[stack.size() - 1];
        for (int l = 0; l + 1 < stack.size(); l++) {
            double s = 0;
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) {
                    double d = dot(vec(stack.get(l), side, i), vec(stack.get(l + 1), side, j));
                    s += d * d;
                }
            out[l] = s / k;
        }
        return out;
    }

    /**
     * Per-pair s^2-weighted continuity over the directions both results hold:
     * sum_i w_i c_i with c_i = |cos(x_i(l), x_i(l+1))| (squared for SQUARED_COS) and w_i as the
     * variant says. Weights use the whole-matrix ||W||_F^2, so a top-k result gives the
     * contribution of its k directions (a lower bound on the full sum). A zero matrix adds 0.
     */
    public static double[] s2Weighted(List<SvdResult> stack, Side side, S2Variant variant) {
        checkStack(stack, side, 1);
        double[] out = new double[stack.size() - 1];
        for (int l = 0; l + 1 < stack.size(); l++) {
            SvdResult a = stack.get(l), b = stack.get(l + 1);
            int k = Math.min(a.k(), b.k());
            double s = 0;
            for (int i = 0; i < k; i++) {
                double c = Math.abs(dot(vec(a, side, i), vec(b, side, i)));
                double wa = weight(a, i), w = switch (variant) {
                    case LOWER_LAYER, SQUARED_COS -> wa;
                    case BOTH_LAYERS -> 0.5 * (wa + weight(b, i));
                };
                s += w * (variant == S2Variant.SQUARED_COS ? c * c : c);
            }
            out[l] = s;
        }
        return out;
    }

    private static double weight(SvdResult r, int i) {
        return r.frobeniusSq() > 0 ? r.s()[i] * r.s()[i] / r.frobeniusSq() : 0;
    }

    /**
     * exp(entropy of s_i^2 / sum s_j^2); needs a complete result. Between 1 (rank one) and
     * min(rows, cols) (flat spectrum); 0 for the zero matrix, which has no spectrum.
     */
    public static double effectiveRank(SvdResult r) {
        if (!r.complete())
            throw new IllegalArgumentException("effective rank needs every singular value (a complete SVD such as Svds.exact()), got the top "
                    + r.k() + " of a " + r.rows() + "x" + r.cols() + " matrix");
        double total = 0;
        for (double s : r.s()) total += s * s;
        if (total == 0) return 0;
        double h = 0;
        for (double s : r.s()) {
            double p = s * s / total;
            if (p > 0) h -= p * Math.log(p);
        }
        return Math.exp(h);
    }

    /** Leading vectors with signs flipped so {@code <x(l), x(l-1)> >= 0} going up from layer 0 (for plots). */
    public static double[][] signAlignedTrajectory(List<SvdResult> stack, Side side) {
        if (stack.isEmpty()) return new double[0][];
        checkStack(stack, side, 1, 1);
        double[][] out = new double[stack.size()][];
        out[0] = vec(stack.get(0), side, 0).clone();
        for (int l = 1; l < stack.size(); l++) {
            double[] x = vec(stack.get(l), side, 0).clone();
            if (dot(x, out[l - 1]) < 0) for (int j = 0; j < x.length; j++) x[j] = -x[j];
            out[l] = x;
        }
        return out;
    }

    /** Per layer {@code arccos|<v1(now), v1(ref)>|} in degrees (0 = same direction, 90 = orthogonal). */
    public static double[] rotationDriftDegrees(List<SvdResult> now, List<SvdResult> ref, Side side) {
        if (now.size() != ref.size())
            throw new IllegalArgumentException("rotation drift: " + now.size() + " layers now but " + ref.size() + " in the reference");
        double[][] a = new double[now.size()][], b = new double[ref.size()][];
        for (int l = 0; l < now.size(); l++) { a[l] = vec(now.get(l), side, 0); b[l] = vec(ref.get(l), side, 0); }
        return rotationDriftDegrees(a, b);
    }

    /** The same from the leading vectors themselves (unit vectors, one per layer): what a checkpoint keeps of the reference. */
    public static double[] rotationDriftDegrees(double[][] now, double[][] ref) {
        if (now.length != ref.length)
            throw new IllegalArgumentException("rotation drift: " + now.length + " layers now but " + ref.length + " in the reference");
        double[] out = new double[now.length];
        for (int l = 0; l < now.length; l++) {
            if (now[l].length != ref[l].length)
                throw new IllegalArgumentException("rotation drift: layer " + l + " has dimension " + now[l].length + " now but " + ref[l].length + " in the reference");
            out[l] = Math.toDegrees(Math.acos(Math.min(1, Math.abs(dot(now[l], ref[l])))));
        }
        return out;
    }

    /**
     * Per-pair |cos| of flattened adjacent matrices (gradient coherence, second definition):
     * {@code |<G_l, G_l+1>_F| / (||G_l||_F ||G_l+1||_F)}. A pair with a zero matrix gives 0 (no direction).
     */
    public static double[] flattenedAbsCos(List<Matrix> stack) {
        double[] c = flattenedCos(stack);
        for (int i = 0; i < c.length; i++) c[i] = Math.abs(c[i]);
        return c;
    }

    /** The signed version of {@link #flattenedAbsCos} (positive: adjacent matrices point the same way). */
    public static double[] flattenedCos(List<Matrix> stack) {
        int layers = stack.size();
        for (int l = 0; l + 1 < layers; l++) {
            Matrix a = stack.get(l), b = stack.get(l + 1);
            if (a.rows() != b.rows() || a.cols() != b.cols())
                throw new IllegalArgumentException("flattened cosine: layer " + l + " is " + a.rows() + "x" + a.cols()
                        + " but layer " + (l + 1) + " is " + b.rows() + "x" + b.cols());
        }
        double[] sq = new double[layers], dots = new double[Math.max(0, layers - 1)];
        io.geocont.linalg.Parallel.forEach(sq.length + dots.length, q -> {
            if (q < layers) sq[q] = dot(stack.get(q).data(), stack.get(q).data());
            else dots[q - layers] = dot(stack.get(q - layers).data(), stack.get(q - layers + 1).data());
        });
        return flattenedCos(sq, dots);
    }

    /**
     * The flattened cosines from their parts, for a loop that already has them: {@code squaredNorms[l]}
     * = ||G_l||_F^2 (L values), {@code adjacentDots[l] = <G_l, G_l+1>_F} (L-1 values). Clamped to
     * [-1, 1]; 0 for a pair with a zero matrix.
     */
    public static double[] flattenedCos(double[] squaredNorms, double[] adjacentDots) {
        if (adjacentDots.length != Math.max(0, squaredNorms.length - 1))
            throw new IllegalArgumentException("flattened cosine: " + squaredNorms.length + " norms need "
                    + Math.max(0, squaredNorms.length - 1) + " adjacent dots, got " + adjacentDots.length);
        double[] out = new double[adjacentDots.length];
        for (int l = 0; l < out.length; l++) {
            double xx = squaredNorms[l], yy = squaredNorms[l + 1];
            out[l] = xx > 0 && yy > 0 ? Math.max(-1, Math.min(1, adjacentDots[l] / Math.sqrt(xx) / Math.sqrt(yy))) : 0;
        }
        return out;
    }

    /**
     * How far training moved a layer: s1(W - W_init) / s1(W_init), with {@code initS1} = s1(W_init)
     * (NaN when the initial matrix is zero).
     */
    public static double updateRatio(Matrix now, Matrix init, double initS1) {
        if (now.rows() != init.rows() || now.cols() != init.cols())
            throw new IllegalArgumentException("update ratio: the layer is " + now.rows() + "x" + now.cols() + " now but "
                    + init.rows() + "x" + init.cols() + " at initialization");
        float[] a = now.data(), b = init.data();
        float[] diff = new float[a.length];
        for (int i = 0; i < a.length; i++) diff[i] = a[i] - b[i];
        return initS1 > 0 ? Svds.s1(new Matrix(now.rows(), now.cols(), diff)) / initS1 : Double.NaN;
    }

    /** Arithmetic mean over the defined (non-NaN) values; NaN when there is none. */
    public static double mean(double[] xs) {
        double s = 0;
        int n = 0;
        for (double x : xs) if (!Double.isNaN(x)) { s += x; n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    // ---------------------------------------------------------------- conveniences

    /** Decomposes every layer with the given strategy, in parallel (the order of the list is kept). */
    public static List<SvdResult> decomposeAll(List<Matrix> stack, Svd svd) {
        SvdResult[] out = new SvdResult[stack.size()];
        io.geocont.linalg.Parallel.forEach(stack.size(), l -> out[l] = svd.decompose(stack.get(l)));
        return List.of(out);
    }

    /** Decomposes each layer once and reports leading-vector continuity on both sides. */
    public static ContinuityReport report(List<Matrix> stack, Svd svd) {
        if (stack.size() < 2) throw new IllegalArgumentException("continuity needs at least 2 layers, got " + stack.size());
        return report(decomposeAll(stack, svd));
    }

    /** Leading-vector continuity on both sides from decomposed layers. */
    public static ContinuityReport report(List<SvdResult> stack) {
        if (stack.size() < 2) throw new IllegalArgumentException("continuity needs at least 2 layers, got " + stack.size());
        int rows = stack.get(0).rows(), cols = stack.get(0).cols();
        double[] v = pairs(stack, Side.V, 0), u = pairs(stack, Side.U, 0);
        return new ContinuityReport(stack.size(), rows, cols, randomBaseline(cols), randomBaseline(rows),
                v, mean(v), u, mean(u), undefinedLeadingPairs(stack));
    }

    /**
     * Gradient coherence, first definition: the continuity operator on the layers' gradient
     * matrices G_l (per-pair |cos| of their leading singular vectors on the given side).
     */
    public static double[] gradientContinuity(List<Matrix> gradients, Svd svd, Side side) {
        return pairs(decomposeAll(gradients, svd), side, 0);
    }

    /**
     * The cumulative-gradient gap dGW = mean pairs(G_cum) - mean pairs(W) of leading vectors on
     * the given side (positive: the summed gradients are more continuous than the weights).
     */
    public static double cumulativeGradientGap(List<SvdResult> gcum, List<SvdResult> w, Side side) {
        return mean(pairs(gcum, side, 0)) - mean(pairs(w, side, 0));
    }

    /** Per layer, |cos| of the leading vector with a fixed direction (e.g. the mean input direction). */
    public static double[] alignmentWith(List<SvdResult> stack, Side side, double[] direction) {
        double n = Math.sqrt(dot(direction, direction));
        double[] out = new double[stack.size()];
        for (int l = 0; l < stack.size(); l++) {
            double[] x = vec(stack.get(l), side, 0);
            if (x.length != direction.length)
                throw new IllegalArgumentException("alignment: layer " + l + " vectors have dimension " + x.length + ", direction has " + direction.length);
            out[l] = n > 0 ? Math.min(1, Math.abs(dot(x, direction)) / n) : 0;
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static double[] vec(SvdResult r, Side side, int i) {
        return side == Side.V ? r.v()[i] : r.u()[i];
    }

    /** |cos| of two unit vectors (singular vectors), clamped at 1: the one measure every continuity is built from. */
    public static double absCos(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("vectors of dimension " + a.length + " and " + b.length);
        return Math.min(1, Math.abs(dot(a, b)));
    }

    private static double dot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += (double) x[i] * y[i];
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void checkStack(List<SvdResult> stack, Side side, int need) {
        checkStack(stack, side, need, 2);
    }

    private static void checkStack(List<SvdResult> stack, Side side, int need, int minLayers) {
        if (stack.size() < minLayers)
            throw new IllegalArgumentException("continuity needs at least " + minLayers + " layers, got " + stack.size());
        if (need < 1) throw new IllegalArgumentException("need at least one singular vector, asked for " + need);
        SvdResult first = stack.get(0);
        int dim = side == Side.V ? first.cols() : first.rows();
        for (int l = 0; l < stack.size(); l++) {
            SvdResult r = stack.get(l);
            int d = side == Side.V ? r.cols() : r.rows();
            if (d != dim)
                throw new IllegalArgumentException("layer " + l + " is " + r.rows() + "x" + r.cols() + " but layer 0 is "
                        + first.rows() + "x" + first.cols() + ": " + side + " vectors must share one dimension");
            if (r.k() < need)
                throw new IllegalArgumentException("layer " + l + " holds " + r.k() + " singular triplets, " + need + " needed");
        }
    }
}
