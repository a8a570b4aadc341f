package io.geocont.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocont.monitor.ContinuityMonitor;

import java.util.List;
import java.util.Map;

/**
 * The JSON state block of an MLP run's {@link RunCheckpoint}: the state at the end of epoch
 * {@code epoch}, or inside the next one when {@code partial} is set (a run stopped between two
 * steps, see {@link PartialEpoch}). The continuity monitor's state (reference weights, gradient
 * sums) travels as its {@link ContinuityMonitor#state} here and its arrays beside the parameters.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MlpState(
        @JsonProperty("run_id") String runId,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("optimizer_step") int optimizerStep,
        @JsonProperty("rng_state") long rngState,
        @JsonProperty("elapsed_seconds") double elapsedSeconds,
        @JsonProperty("monitor") ContinuityMonitor.State monitor,
        @JsonProperty("records") List<EpochMetrics> records,
        @JsonProperty("partial") PartialEpoch partial) { }
