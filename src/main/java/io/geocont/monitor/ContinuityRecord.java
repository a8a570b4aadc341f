package io.geocont.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What one {@link ContinuityMonitor#measure} gives: the continuity metrics of Table 1 and Fig. 3
 * (science.md section 3) for a stack of L layers. Arrays hold one value per layer or per
 * adjacent pair (L-1). "v" is the input space (right singular vectors), "u" the output space;
 * every cosine is in absolute value. A pair touching a layer whose leading singular pair is
 * undefined ({@link #undefined}) is NaN, written as null in JSON, and left out of the means.
 * The gradient fields are null when no gradients were handed over since the last measurement
 * (and always at the first one); drift is null at the first measurement.
 *
 * @param index        0 for the first measurement (the reference: initialization), then 1, 2, ...
 * @param steps        gradient steps observed since the monitor was made
 * @param baseline     E|cos| of random unit vectors in R^cols (the v side's chance level)
 * @param baselineStd  its standard deviation
 * @param baselineU    E|cos| of random unit vectors in R^rows (the u side's chance level)
 * @param undefined    per layer, why its leading singular pair is undefined (s1 = 0, s1 ~ s2), or null
 * @param topkV1Mean   mean over {@code i < k} of |cos(v_i(l), v_i(l+1))|, averaged over pairs
 * @param overlapVMean subspace overlap ||V_k(l)^T V_k(l+1)||_F^2 / k, averaged over pairs
 * @param s2waMean     s^2-weighted continuity (LOWER_LAYER weights), v side, averaged over pairs
 * @param s2waBothMean the same with weights averaged over both layers
 * @param s2waSqMean   the same with squared cosines
 * @param s2waUMean    LOWER_LAYER s^2-weighted continuity on the u side
 * @param gradCohV1Mean v1 continuity of the gradients summed since the last measurement
 * @param gradCohFlatMean |cos| of flattened adjacent gradients, averaged over those steps
 * @param gradCohFlatSignedMean the same with the signed cosine
 * @param gcumV1Mean   v1 continuity of the gradients summed since the first measurement
 * @param dgw          gcumV1Mean - v1Mean (positive: the summed gradients are more continuous than the weights)
 * @param driftDeg     per layer {@code arccos|<v1(now), v1(second measurement)>|} in degrees
 * @param updateRatio  per layer s1(W - W_first) / s1(W_first)
 * @param stepSeconds  wall seconds the monitor spent in {@link ContinuityMonitor#step} since the last measurement
 * @param measureSeconds wall seconds this measurement took
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContinuityRecord(
        @JsonProperty("index") int index,
        @JsonProperty("steps") long steps,
        @JsonProperty("layers") int layers,
        @JsonProperty("rows") int rows,
        @JsonProperty("cols") int cols,
        @JsonProperty("baseline") double baseline,
        @JsonProperty("baseline_std") double baselineStd,
        @JsonProperty("baseline_u") double baselineU,
        @JsonProperty("v1_mean") double v1Mean,
        @JsonProperty("v1_pairs") double[] v1Pairs,
        @JsonProperty("u1_mean") double u1Mean,
        @JsonProperty("u1_pairs") double[] u1Pairs,
        @JsonProperty("undefined") List<String> undefined,
        @JsonProperty("top_k") int topK,
        @JsonProperty("topk_v1_mean") double topkV1Mean,
        @JsonProperty("overlap_v_mean") double overlapVMean,
        @JsonProperty("s2wa_mean") double s2waMean,
        @JsonProperty("s2wa_both_mean") double s2waBothMean,
        @JsonProperty("s2wa_sq_mean") double s2waSqMean,
        @JsonProperty("s2wa_u_mean") double s2waUMean,
        @JsonProperty("erank_mean") double erankMean,
        @JsonProperty("erank_layers") double[] erankLayers,
        @JsonProperty("s1_layers") double[] s1Layers,
        @JsonProperty("grad_coh_v1_mean") Double gradCohV1Mean,
        @JsonProperty("grad_coh_v1_pairs") double[] gradCohV1Pairs,
        @JsonProperty("grad_coh_flat_mean") Double gradCohFlatMean,
        @JsonProperty("grad_coh_flat_pairs") double[] gradCohFlatPairs,
        @JsonProperty("grad_coh_flat_signed_mean") Double gradCohFlatSignedMean,
        @JsonProperty("gcum_v1_mean") Double gcumV1Mean,
        @JsonProperty("gcum_v1_pairs") double[] gcumV1Pairs,
        @JsonProperty("dgw") Double dgw,
        @JsonProperty("drift_deg") double[] driftDeg,
        @JsonProperty("drift_mean_deg") Double driftMeanDeg,
        @JsonProperty("update_ratio") double[] updateRatio,
        @JsonProperty("update_ratio_mean") double updateRatioMean,
        @JsonProperty("step_seconds") double stepSeconds,
        @JsonProperty("measure_seconds") double measureSeconds) {

    /** v1 mean over its chance level (1 = random, larger = continuity). */
    public double v1Ratio() { return v1Mean / baseline; }

    /** Whether any layer's leading pair is undefined. */
    public boolean anyUndefined() { return undefined != null && undefined.stream().anyMatch(java.util.Objects::nonNull); }
}
