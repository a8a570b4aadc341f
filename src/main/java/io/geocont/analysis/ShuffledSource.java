package io.geocont.analysis;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.LayerSource;
import io.geocont.linalg.Matrix;
import io.geocont.util.SplitMix64;

import java.io.IOException;

/**
 * Each layer with its entries permuted at random (seeded per layer): the same entry
 * distribution, spectrum scale and shape with all structure destroyed, so its continuity is an
 * empirical null beside the analytic E|cos| of random unit vectors (which assumes isotropy a
 * real weight distribution may lack).
 */
public final class ShuffledSource implements LayerSource {
    private final LayerSource source;
    private final long seed;

    public ShuffledSource(LayerSource source, long seed) {
        this.source = source;
        this.seed = seed;
    }

    /** Every stack shuffled, each with its own seed (from {@code seed} and its key), so same-shaped projections get different permutations. */
    public static java.util.Map<String, LayerSource> of(java.util.Map<String, LayerSource> stacks, long seed) {
        java.util.Map<String, LayerSource> out = new java.util.LinkedHashMap<>();
        for (var e : stacks.entrySet()) out.put(e.getKey(), new ShuffledSource(e.getValue(), seed * 31 + e.getKey().hashCode()));
        return out;
    }

    @Override public int size() { return source.size(); }

    @Override public GramOperator layer(int l) throws IOException {
        GramOperator g = source.layer(l);
        Matrix m = g instanceof Matrix x ? x : g.toMatrix();
        float[] d = m.data().clone();
        SplitMix64 rng = new SplitMix64(seed * 0x9E3779B97F4A7C15L + l + 1);
        for (int i = d.length - 1; i > 0; i--) { // Fisher-Yates
            int j = rng.nextInt(i + 1);
            float t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return new Matrix(m.rows(), m.cols(), d);
    }

    @Override public String describe() { return source.describe() + " (entries shuffled, seed " + seed + ")"; }
}
