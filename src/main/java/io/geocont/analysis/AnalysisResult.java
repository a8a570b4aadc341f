package io.geocont.analysis;

import io.geocont.linalg.SvdResult;

import java.util.List;
import java.util.Map;

/**
 * Continuity of every projection of a model over layers [firstLayer, endLayer).
 * {@code svd} names the SVD strategy, {@code k} how many triplets each matrix kept; {@code triplets}
 * holds them (per projection key, one result per layer from firstLayer).
 */
public record AnalysisResult(String model, String source, String family, int layers, int firstLayer, int endLayer,
                             String svd, int k, Map<String, ProjectionResult> projections,
                             Map<String, List<SvdResult>> triplets) {

    /**
     * One projection's numbers: shape out x in, per-layer s1 and s1/s2, per-pair |cos| of v1 and
     * u1 (NaN where a layer's leading pair is undefined) with their means over the defined pairs,
     * the random baseline of each side's dimension, and (k > 1) the per-pair mean over the top k
     * directions; {@code undefined} gives, per layer, why its v1/u1 mean nothing (null when they
     * do); {@code seconds} per layer to read and decompose the matrix (wall clock;
     * {@code cpuSeconds}: CPU time of the whole process over the same span).
     */
    public record ProjectionResult(String projection, int rows, int cols, double[] s1, double[] s1OverS2,
                                   double[] v1Pairs, double[] u1Pairs, double v1Mean, double u1Mean,
                                   double baselineV1, double baselineU1, double[] topKV, double[] topKU,
                                   List<String> undefined, double[] seconds, double[] cpuSeconds) {
        public double v1Ratio() { return v1Mean / baselineV1; }
        public double u1Ratio() { return u1Mean / baselineU1; }
    }
}
