package io.geocont.io.checkpoint;

import java.util.List;

/**
 * The architecture fields of a GGUF file's metadata as a {@link ModelConfig}, so its shapes are
 * checked exactly like a config.json's: {@code general.architecture} names the prefix of
 * {@code <arch>.block_count}, {@code .embedding_length}, {@code .attention.head_count},
 * {@code .attention.head_count_kv}, {@code .attention.key_length} (head dim) and
 * {@code .feed_forward_length}.
 */
final class GgufConfig {
    private GgufConfig() { }

    /** The config, or null when the file names no architecture (then nothing is checked, as without a config.json). */
    static ModelConfig read(GgufStore store) throws CheckpointException {
        GgufMetadata md = store.metadata();
        Object arch = md.get("general.architecture");
        if (arch == null) return null;
        if (!(arch instanceof String a) || a.isEmpty())
            throw new CheckpointException(store.describe() + ": general.architecture is " + arch + " (" + md.type("general.architecture")
                    + "), expected the architecture's name as a STRING");
        int hidden = field(store, a + ".embedding_length"), heads = field(store, a + ".attention.head_count");
        int kv = field(store, a + ".attention.head_count_kv"), headDim = field(store, a + ".attention.key_length");
        if (kv < 0) kv = heads;
        if (headDim < 0 && hidden > 0 && heads > 0) headDim = hidden / heads;
        return new ModelConfig(a, field(store, a + ".block_count"), hidden, heads, kv, headDim,
                field(store, a + ".feed_forward_length"), "GGUF metadata (" + a + ".*)");
    }

    /**
     * A positive integer field; -1 when absent, zero, or a per-layer array whose entries differ
     * (one number cannot check such a model, so that field is not checked).
     */
    private static int field(GgufStore store, String key) throws CheckpointException {
        Object v = store.metadata().get(key);
        if (v == null) return -1;
        if (v instanceof GgufMetadata.Array arr && arr.values() != null && !arr.values().isEmpty()) {
            List<Object> vs = arr.values();
            for (Object x : vs) integer(store, key, x);
            return vs.stream().distinct().count() == 1 ? integer(store, key, vs.get(0)) : -1;
        }
        return integer(store, key, v);
    }

    private static int integer(GgufStore store, String key, Object v) throws CheckpointException {
        if (!(v instanceof Long n) || n < 0 || n > Integer.MAX_VALUE)
            throw new CheckpointException(store.describe() + ": metadata '" + key + "' is " + v + " ("
                    + store.metadata().type(key) + "), expected a non-negative integer (or an array of them, one per layer)");
        return n == 0 ? -1 : (int) (long) n;
    }
}
