package io.geocont.experiments;

import io.geocont.backend.Activation;
import io.geocont.models.NormKind;
import io.geocont.models.mlp.InitKind;
import io.geocont.models.mlp.MlpConfig;

import java.util.List;

/**
 * Variant names of the grid, the inverse of {@link MlpConfig#variantName()}:
 * {@code res|nores} - activation [- ln|rms] [- kaiming], e.g. "res-none-ln", "nores-relu-kaiming".
 */
public final class VariantNames {
    private VariantNames() { }

    /**
     * The default grid (science.md E1 and section 5): residual and plain nets for every activation,
     * the plain ReLU net again with Kaiming init (PyTorch init does not train 12 plain layers
     * under SGD), and the two LayerNorm variants of Table 1.
     */
    public static final List<String> DEFAULT = List.of(
            "res-relu", "res-gelu", "res-silu", "res-none", "res-radial-tanh",
            "nores-relu", "nores-gelu", "nores-silu", "nores-none", "nores-radial-tanh",
            "nores-relu-kaiming", "res-none-ln", "res-relu-ln");

    /** The model of variant {@code name} at the given size. */
    public static MlpConfig parse(String name, int width, int depth) {
        String t = name.trim().toLowerCase(java.util.Locale.ROOT);
        boolean residual;
        if (t.startsWith("res-")) { residual = true; t = t.substring(4); }
        else if (t.startsWith("nores-")) { residual = false; t = t.substring(6); }
        else throw new IllegalArgumentException("variant '" + name + "' must start with res- or nores- (e.g. res-relu, nores-relu-kaiming)");
        InitKind init = InitKind.PYTORCH;
        if (t.endsWith("-kaiming")) { init = InitKind.KAIMING; t = t.substring(0, t.length() - 8); }
        NormKind norm = NormKind.NONE;
        if (t.endsWith("-ln")) { norm = NormKind.LAYER; t = t.substring(0, t.length() - 3); }
        else if (t.endsWith("-rms")) { norm = NormKind.RMS; t = t.substring(0, t.length() - 4); }
        Activation act;
        try {
            act = Activation.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("variant '" + name + "': " + e.getMessage());
        }
        MlpConfig c = new MlpConfig(784, width, depth, 10, residual, act, 0f, norm, init);
        if (!c.variantName().equals(name.trim().toLowerCase(java.util.Locale.ROOT)))
            throw new IllegalArgumentException("variant '" + name + "' is not canonical; write it as '" + c.variantName() + "'");
        return c;
    }
}
