package io.geocont.io.checkpoint;

import java.util.Arrays;

/**
 * One GGUF tensor info. {@code ne} is in ggml order, fastest dimension first (ne[0] = columns =
 * the input dimension of a weight); {@link #shape} is the state-dict order (reversed).
 * {@code type} is null for a type number this reader does not know, and then
 * {@code byteLength} is -1. {@code begin} is an absolute file offset.
 */
record GgufTensor(String name, long[] ne, long typeId, GgmlType type, long begin, long byteLength) {
    long[] shape() {
        long[] s = new long[ne.length];
        for (int i = 0; i < ne.length; i++) s[i] = ne[ne.length - 1 - i];
        return s;
    }

    String typeName() { return type != null ? type.describe() : "unknown type " + typeId; }

    @Override public String toString() { return name + " " + typeName() + " ne=" + Arrays.toString(ne); }
}
