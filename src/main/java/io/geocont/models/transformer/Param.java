package io.geocont.models.transformer;

import io.geocont.backend.Tensor;

/**
 * One trainable tensor and its gradient. {@code matrix} marks the 2-D weights that get weight
 * decay (norm gains do not).
 */
public record Param(String name, Tensor value, Tensor grad, boolean matrix) { }
