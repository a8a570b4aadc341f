package io.geocont.io.checkpoint;

import io.geocont.analysis.SvdResult;

import java.util.List;
import java.util.Map;

/**
 * Continuity of every projection of a checkpoint over layers [firstLayer, endLayer).
 * {@code svd} names the SVD strategy, {@code k} how many triplets each matrix kept; {@code triplets}
 * holds them (per projection, one result per layer from firstLayer).
 */
public record AnalysisResult(String model, String source, String family, int layers, int firstLayer, int endLayer,
                             String svd, int k, Map<Projection, ProjectionResult> projections,
                             Map<Projection, List<SvdResult>> triplets) {

    /**
     * One projection's numbers: shape out x in, per-layer s1, per-pair |cos| of v1 and u1 with
     * their means, the random baseline of each side's dimension, and (k > 1) the per-pair mean
     * over the top k directions; {@code seconds} per layer to read and decompose the matrix
     * (wall clock; {@code cpuSeconds}: CPU time of the whole process over the same span).
     */
    public record ProjectionResult(Projection projection, int rows, int cols, double[] s1,
                                   double[] v1Pairs, double[] u1Pairs, double v1Mean, double u1Mean,
                                   double baselineV1, double baselineU1, double[] topKV, double[] topKU, double[] seconds,
                                   double[] cpuSeconds) {
        public double v1Ratio() { return v1Mean / baselineV1; }
        public double u1Ratio() { return u1Mean / baselineU1; }
    }
}
