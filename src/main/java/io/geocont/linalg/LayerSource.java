package io.geocont.linalg;

import java.io.IOException;

/**
 * A stack of weight matrices read lazily, one layer at a time (a folder of .npy files, a
 * checkpoint's projection): analysis keeps only each layer's singular triplets.
 */
public interface LayerSource {
    int size();

    /** Layer l as a product operator (in its stored width where the source can). */
    GramOperator layer(int l) throws IOException;

    /** A name for messages. */
    String describe();

    /** A source over matrices already in memory. */
    static LayerSource of(java.util.List<Matrix> stack) {
        return new LayerSource() {
            @Override public int size() { return stack.size(); }
            @Override public GramOperator layer(int l) { return stack.get(l); }
            @Override public String describe() { return stack.size() + " in-memory matrices"; }
        };
    }
}
