package io.geocont.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The sums an epoch has gathered when its run is stopped between two steps, kept in the
 * checkpoint so the resumed epoch ends bitwise as an uninterrupted one. {@code rngBeforeShuffle}
 * is the shuffling stream's state before this epoch's shuffle, so the same batch order is
 * rebuilt; the epoch's gradient sums and coherences are the continuity monitor's state.
 */
public record PartialEpoch(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("next_step") int nextStep,
        @JsonProperty("steps") int steps,
        @JsonProperty("rng_before_shuffle") long rngBeforeShuffle,
        @JsonProperty("loss_sum") double lossSum,
        @JsonProperty("correct") double correct,
        @JsonProperty("norm_sum") double normSum,
        @JsonProperty("clipped") int clipped,
        @JsonProperty("seconds") double seconds) {
}
