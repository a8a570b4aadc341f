package io.geocont.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocont.monitor.ContinuityRecord;

import java.util.List;

/**
 * One line of a run's log.jsonl: training numbers and the continuity metrics of the hidden
 * layers after {@code epoch} epochs (0 = at initialization). Arrays hold one value per hidden
 * layer or per adjacent pair of hidden layers; the continuity fields are the {@link ContinuityRecord}
 * of {@link io.geocont.monitor.ContinuityMonitor}. Fields that do not exist yet are null: gradient
 * fields at epoch 0 (no step taken), drift at epoch 0 (its reference is the end of epoch 1).
 * All singular-vector cosines are absolute values; "v" is input space, "u" output space.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EpochMetrics(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("train_acc") double trainAcc,
        @JsonProperty("test_loss") double testLoss,
        @JsonProperty("test_acc") double testAcc,
        /** Wall seconds of this epoch (training + evaluation + metrics). */
        @JsonProperty("seconds") double seconds,
        /** E|cos| of random unit vectors in R^width, and its standard deviation. */
        @JsonProperty("baseline") double baseline,
        @JsonProperty("baseline_std") double baselineStd,
        @JsonProperty("v1_mean") double v1Mean,
        @JsonProperty("v1_pairs") double[] v1Pairs,
        @JsonProperty("u1_mean") double u1Mean,
        @JsonProperty("u1_pairs") double[] u1Pairs,
        /** Mean over i < k of |<v_i(l), v_i(l+1)>|, averaged over pairs. */
        @JsonProperty("topk_v1_mean") double topkV1Mean,
        /** Subspace overlap ||V_k(l)^T V_k(l+1)||_F^2 / k, averaged over pairs. */
        @JsonProperty("overlap_v_mean") double overlapVMean,
        @JsonProperty("s2wa_mean") double s2waMean,
        @JsonProperty("s2wa_both_mean") double s2waBothMean,
        @JsonProperty("s2wa_sq_mean") double s2waSqMean,
        @JsonProperty("erank_mean") double erankMean,
        @JsonProperty("erank_layers") double[] erankLayers,
        /** v1 continuity of the epoch's summed per-step weight gradients (null at epoch 0). */
        @JsonProperty("grad_coh_v1_mean") Double gradCohV1Mean,
        @JsonProperty("grad_coh_v1_pairs") double[] gradCohV1Pairs,
        /** |cos| of flattened adjacent weight gradients, averaged over the epoch's steps (null at epoch 0). */
        @JsonProperty("grad_coh_flat_mean") Double gradCohFlatMean,
        @JsonProperty("grad_coh_flat_pairs") double[] gradCohFlatPairs,
        /** The same with the signed cosine (positive = adjacent gradients point the same way). */
        @JsonProperty("grad_coh_flat_signed_mean") Double gradCohFlatSignedMean,
        /** v1 continuity of the cumulative gradient sum since initialization (null at epoch 0). */
        @JsonProperty("gcum_v1_mean") Double gcumV1Mean,
        @JsonProperty("gcum_v1_pairs") double[] gcumV1Pairs,
        /** gcum_v1_mean - v1_mean (null at epoch 0). */
        @JsonProperty("dgw") Double dgw,
        /** Per layer arccos|<v1(now), v1(end of epoch 1)>| in degrees (0 at epoch 1, null at 0). */
        @JsonProperty("drift_deg") double[] driftDeg,
        @JsonProperty("drift_mean_deg") Double driftMeanDeg,
        /** Per layer s1(W - W_init) / s1(W_init). */
        @JsonProperty("update_ratio") double[] updateRatio,
        @JsonProperty("update_ratio_mean") double updateRatioMean,
        /** Mean global gradient norm before clipping over the epoch's steps, and the fraction of steps clipped. */
        @JsonProperty("grad_norm_mean") Double gradNormMean,
        @JsonProperty("clipped_fraction") Double clippedFraction,
        /** Leading singular value per hidden layer. */
        @JsonProperty("s1_layers") double[] s1Layers,
        /** Wall seconds of the epoch's training steps alone (0 at epoch 0), and of evaluation plus metrics. */
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("eval_metrics_seconds") double evalMetricsSeconds,
        /** Per hidden layer, why its leading singular pair is undefined (null where defined); its pairs are null above. */
        @JsonProperty("undefined") List<String> undefined,
        /**
         * Wall seconds the continuity monitor took: its per-step bookkeeping over the epoch, and this
         * measurement (on the monitor's thread, beside the test-set evaluation); and how long the
         * epoch then waited for that measurement, which is what the measurement cost the run (0 in
         * records written before this field existed).
         */
        @JsonProperty("monitor_step_seconds") double monitorStepSeconds,
        @JsonProperty("monitor_measure_seconds") double monitorMeasureSeconds,
        @JsonProperty("monitor_wait_seconds") double monitorWaitSeconds) {

    /** The fields that hold wall-clock times: two trainings of the same run agree on every other field, bit for bit. */
    public static final List<String> CLOCK_FIELDS = List.of("seconds", "train_seconds", "eval_metrics_seconds",
            "monitor_step_seconds", "monitor_measure_seconds", "monitor_wait_seconds");

    /** An epoch's record from its training numbers and the continuity monitor's record of the hidden layers. */
    public static EpochMetrics of(int epoch, double trainLoss, double trainAcc, double testLoss, double testAcc, double seconds,
                                  ContinuityRecord c, Double gradNormMean, Double clippedFraction,
                                  double trainSeconds, double evalMetricsSeconds, double monitorWaitSeconds) {
        return new EpochMetrics(epoch, trainLoss, trainAcc, testLoss, testAcc, seconds, c.baseline(), c.baselineStd(),
                c.v1Mean(), c.v1Pairs(), c.u1Mean(), c.u1Pairs(), c.topkV1Mean(), c.overlapVMean(),
                c.s2waMean(), c.s2waBothMean(), c.s2waSqMean(), c.erankMean(), c.erankLayers(),
                c.gradCohV1Mean(), c.gradCohV1Pairs(), c.gradCohFlatMean(), c.gradCohFlatPairs(), c.gradCohFlatSignedMean(),
                c.gcumV1Mean(), c.gcumV1Pairs(), c.dgw(), c.driftDeg(), c.driftMeanDeg(), c.updateRatio(), c.updateRatioMean(),
                gradNormMean, clippedFraction, c.s1Layers(), trainSeconds, evalMetricsSeconds,
                c.undefined(), c.stepSeconds(), c.measureSeconds(), monitorWaitSeconds);
    }
}
