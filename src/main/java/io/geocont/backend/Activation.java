package io.geocont.backend;

import java.util.Locale;

/**
 * Element-wise and rotation-preserving activations (science.md E1/E2).
 *
 * <p>The element-wise ones act on each coordinate and so break rotational symmetry. The RADIAL_*
 * ones act on a whole row h (one sample's hidden vector) as a function of ||h|| along h, so
 * phi(R h) = R phi(h) for every orthogonal R:
 * <ul>
 *   <li>RADIAL_TANH:    phi(h) = tanh(||h||) h / ||h||   (the default rotation-preserving control)</li>
 *   <li>RADIAL_RELU:    phi(h) = relu(||h|| - b) h / ||h||, b = the activation parameter</li>
 *   <li>RADIAL_SIGMOID: phi(h) = sigmoid(||h||) h</li>
 * </ul>
 * At h = 0 every radial form returns 0 and its derivative is taken as the limit along h (see the
 * CPU backend for the exact convention). GELU is the exact erf form.
 */
public enum Activation {
    IDENTITY(false), RELU(false), GELU(false), SILU(false), TANH(false),
    RADIAL_TANH(true), RADIAL_RELU(true), RADIAL_SIGMOID(true);

    private final boolean rowWise;

    Activation(boolean rowWise) { this.rowWise = rowWise; }

    /** True when the activation needs the whole row (rotation-preserving family). */
    public boolean rowWise() { return rowWise; }

    /** Name used on the command line and in outputs: relu, gelu, silu, tanh, none, radial-tanh, ... */
    public String cliName() {
        return this == IDENTITY ? "none" : name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a CLI name ({@code none}/{@code identity}/{@code linear}, {@code rotation} = radial-tanh). */
    public static Activation parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (t) {
            case "none", "identity", "linear": return IDENTITY;
            case "rotation", "rot", "radial": return RADIAL_TANH;
            default:
                for (Activation a : values()) if (a.cliName().equals(t)) return a;
                throw new IllegalArgumentException("unknown activation '" + s
                        + "' (expected one of none, relu, gelu, silu, tanh, radial-tanh, radial-relu, radial-sigmoid)");
        }
    }
}
