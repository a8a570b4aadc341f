package io.geocont.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The sums an epoch has gathered when its run is stopped between two steps, kept in the
 * checkpoint so the resumed epoch ends bitwise as an uninterrupted one. {@code rngBeforeShuffle}
 * is the shuffling stream's state before this epoch's shuffle, so the same batch order is
 * rebuilt; the epoch's summed gradients travel as the checkpoint array "gepoch".
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
        @JsonProperty("flat_abs") double[] flatAbs,
        @JsonProperty("flat_signed") double[] flatSigned,
        @JsonProperty("seconds") double seconds) {
}
