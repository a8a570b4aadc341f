package io.geocont.train;

/**
 * Continuity of one projection type (q, k, v, o, gate, up, down) across the blocks.
 *
 * @param v1Pairs      |cos| of adjacent blocks' leading right (input-space) singular vectors, L-1 values
 * @param u1Pairs      the same for the leading left (output-space) vectors
 * @param s2waV        s^2-weighted continuity on the input side (LOWER_LAYER weights, |cos|), mean over pairs
 * @param s2waU        the same on the output side
 * @param erank        effective rank, mean over layers
 * @param baselineV1   E|cos| of random unit vectors in the input dimension
 * @param baselineU1   E|cos| of random unit vectors in the output dimension
 * @param meanInputCos per layer, |cos| of v1 with the mean direction of the (row-normalized) inputs
 * @param meanOutputCos per layer, |cos| of u1 with the mean direction of the projection's outputs
 * @param moveRatio    per layer, s1(W - W_init) / s1(W_init) (how far training moved the weight)
 */
public record ProjectionStats(String name, int rows, int cols, double[] v1Pairs, double v1, double[] u1Pairs, double u1,
                              double s2waV, double s2waU, double erank, double baselineV1, double baselineU1,
                              double[] meanInputCos, double meanInputCosMean, double[] meanOutputCos, double meanOutputCosMean,
                              double[] moveRatio, double moveRatioMean) { }
