package io.geocont.io.checkpoint;

/**
 * The canonical projection names used in every output, whatever the checkpoint calls them.
 * Q, K, V, Gate and Up read from the residual stream (expected to show input-space v1
 * continuity); O and Down write to it (output-space u1).
 */
public enum Projection {
    Q("q"), K("k"), V("v"), O("o"), GATE("gate"), UP("up"), DOWN("down");

    public final String key;

    Projection(String key) { this.key = key; }

    public static Projection of(String key) {
        for (Projection p : values()) if (p.key.equalsIgnoreCase(key)) return p;
        throw new IllegalArgumentException("unknown projection '" + key + "' (expected q, k, v, o, gate, up, down)");
    }
}
