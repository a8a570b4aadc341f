package io.geocont.analysis;

import java.util.List;
import java.util.Map;

/**
 * Two checkpoints side by side: each one's analysis, per projection and layer the |cos| between
 * A's and B's leading vectors ({@code crossV1}, {@code crossU1}; NaN where either leading pair
 * is undefined), and the analysis of the difference W_B - W_A (a zero difference is undefined
 * there, through the usual s1 = 0 rule).
 */
public record ComparisonResult(AnalysisResult a, AnalysisResult b, AnalysisResult difference,
                               Map<String, double[]> crossV1, Map<String, double[]> crossU1,
                               Map<String, List<String>> crossUndefined) { }
