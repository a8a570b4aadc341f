package io.geocont.models.mlp;

import io.geocont.backend.Activation;
import io.geocont.models.NormKind;

/**
 * The toy MLP of science.md E1: {@code inputDim -> width} input layer (linear + bias, no
 * activation [O]), {@code depth} hidden width x width blocks, {@code width -> classes} readout.
 * Residual block: {@code h <- h + act(W norm(h) + b)} (pre-norm); plain block: {@code h <- act(W norm(h) + b)},
 * norm only when configured. With a norm, a final norm precedes the readout [O]. Only the hidden
 * blocks enter the continuity metrics.
 */
public record MlpConfig(int inputDim, int width, int depth, int classes, boolean residual,
                        Activation activation, float actParam, NormKind norm, InitKind init) {
    public MlpConfig {
        if (inputDim <= 0 || width <= 0 || classes <= 1 || depth < 2)
            throw new IllegalArgumentException("mlp config: inputDim " + inputDim + ", width " + width + ", depth " + depth
                    + ", classes " + classes + " (need positive sizes, classes >= 2, and depth >= 2: continuity compares adjacent hidden layers)");
        if (activation == null || norm == null || init == null)
            throw new IllegalArgumentException("mlp config: activation, norm and init are required");
    }

    /** Quick CPU scale [O]: 784 -> 128, 12 hidden blocks, 10 classes. */
    public static MlpConfig quick(boolean residual, Activation act, NormKind norm) {
        return new MlpConfig(784, 128, 12, 10, residual, act, 0f, norm, InitKind.PYTORCH);
    }

    /** Paper scale [O]: 784 -> 256, 16 hidden blocks. */
    public static MlpConfig paper(boolean residual, Activation act, NormKind norm) {
        return new MlpConfig(784, 256, 16, 10, residual, act, 0f, norm, InitKind.PYTORCH);
    }

    public MlpConfig withInit(InitKind k) {
        return new MlpConfig(inputDim, width, depth, classes, residual, activation, actParam, norm, k);
    }

    public MlpConfig withSize(int newWidth, int newDepth) {
        return new MlpConfig(inputDim, newWidth, newDepth, classes, residual, activation, actParam, norm, init);
    }

    /** "res-relu", "nores-relu", "res-none-ln", "res-radial-tanh", "res-relu-rms", "nores-relu-kaiming". */
    public String variantName() {
        StringBuilder sb = new StringBuilder(residual ? "res" : "nores").append('-').append(activation.cliName());
        if (norm != NormKind.NONE) sb.append('-').append(norm.shortName());
        if (init == InitKind.KAIMING) sb.append("-kaiming");
        return sb.toString();
    }

    /** Hidden-layer parameter count plus input and readout layers (for printing). */
    public long parameterCount() {
        long p = (long) width * inputDim + width + (long) depth * ((long) width * width + width)
                + (long) classes * width + classes;
        int perNorm = norm == NormKind.LAYER ? 2 * width : norm == NormKind.RMS ? width : 0;
        return p + (long) (norm == NormKind.NONE ? 0 : depth + 1) * perNorm;
    }
}
