package io.geocont.io.checkpoint;

import io.geocont.analysis.SvdResult;

import java.util.List;

/**
 * The few continuity numbers checkpoint analysis needs (PAPER.md section 3): per-pair |cos| of
 * the i-th singular vectors of adjacent layers, their mean, and the random baseline E|cos| in R^d.
 * Kept here so analysis of checkpoints does not wait on the full metric suite in {@code Continuity}.
 */
public final class PairCosines {
    private PairCosines() { }

    /** |<x_i(l), x_i(l+1)>| for l = 0 .. L-2; V = input space (right vectors), else output space. */
    public static double[] pairs(List<SvdResult> stack, boolean inputSide, int i) {
        double[] out = new double[Math.max(0, stack.size() - 1)];
        for (int l = 0; l + 1 < stack.size(); l++) {
            double[] a = inputSide ? stack.get(l).v()[i] : stack.get(l).u()[i];
            double[] b = inputSide ? stack.get(l + 1).v()[i] : stack.get(l + 1).u()[i];
            if (a.length != b.length)
                throw new IllegalArgumentException("layers " + l + " and " + (l + 1) + " differ in dimension: " + a.length + " vs " + b.length);
            double d = 0, na = 0, nb = 0;
            for (int j = 0; j < a.length; j++) {
                d += a[j] * b[j];
                na += a[j] * a[j];
                nb += b[j] * b[j];
            }
            out[l] = Math.min(1, Math.abs(d) / Math.sqrt(na * nb));
        }
        return out;
    }

    /** Per pair, the mean over i < k of the i-th pair cosines. */
    public static double[] topK(List<SvdResult> stack, boolean inputSide, int k) {
        double[] out = new double[Math.max(0, stack.size() - 1)];
        for (int i = 0; i < k; i++) {
            double[] p = pairs(stack, inputSide, i);
            for (int l = 0; l < out.length; l++) out[l] += p[l] / k;
        }
        return out;
    }

    public static double mean(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double s = 0;
        for (double x : xs) s += x;
        return s / xs.length;
    }

    /** E|cos| of independent random unit vectors in R^d: Gamma(d/2) / (sqrt(pi) Gamma((d+1)/2)). */
    public static double randomBaseline(int d) {
        if (d < 1) throw new IllegalArgumentException("dimension " + d);
        return Math.exp(logGamma(d / 2.0) - logGamma((d + 1) / 2.0)) / Math.sqrt(Math.PI);
    }

    /** Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 relative for x > 0. */
    static double logGamma(double x) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double a = c[0], t = x + 7.5;
        for (int i = 1; i < 9; i++) a += c[i] / (x + i);
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
