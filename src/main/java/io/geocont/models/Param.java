package io.geocont.models;

import io.geocont.backend.Tensor;

/** One trainable tensor with its gradient; {@code decay} is true for weight matrices (weight decay applies). */
public record Param(String name, Tensor value, Tensor grad, boolean decay) { }
