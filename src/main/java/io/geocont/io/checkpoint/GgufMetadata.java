package io.geocont.io.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key-value section of a GGUF file, in file order. Values: every integer type as Long
 * (UINT64 keeps its bits), FLOAT32/FLOAT64 as Double, BOOL as Boolean, STRING as String,
 * ARRAY as {@link Array}.
 */
final class GgufMetadata {
    /** GGUF value type names by number. */
    static final List<String> TYPES = List.of("UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL",
            "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64");

    /**
     * An array value. {@code values} is null when the array holds more than {@link #KEPT}
     * elements (a vocabulary or merge list): it was parsed and checked, but its contents are not
     * needed to read weights, so they are not kept in memory.
     */
    record Array(String elementType, long count, List<Object> values) {
        static final int KEPT = 1 << 16;
    }

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    /** False when {@code key} was already present (GGUF keys are unique). */
    boolean put(String key, String type, Object value) {
        if (values.containsKey(key)) return false;
        values.put(key, value);
        types.put(key, type);
        return true;
    }

    Object get(String key) { return values.get(key); }

    /** The GGUF type name of {@code key}'s value ("UINT32", "ARRAY"), or null when absent. */
    String type(String key) { return types.get(key); }

    Map<String, Object> asMap() { return Collections.unmodifiableMap(values); }
}
