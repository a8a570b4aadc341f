package io.geocont.io.checkpoint;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Python values a restricted unpickle produces, as plain Java data: str -> String, int -> Long
 * (BigInteger past 64 bits), float -> Double, bool -> Boolean, bytes -> byte[], list -> ArrayList,
 * dict -> LinkedHashMap, tuple -> {@link Tuple}, set -> {@link PySet}, None -> {@link #NONE}.
 * Nothing here is a Python object with behaviour; allowed globals become tokens.
 */
final class PyValues {
    private PyValues() { }

    /** Python's None (null never appears on the unpickler's stack). */
    enum None { NONE }

    static final None NONE = None.NONE;

    /** An immutable tuple; no equals/hashCode beyond identity, so a cyclic value cannot recurse forever. */
    static final class Tuple {
        final List<Object> items;

        Tuple(List<Object> items) { this.items = List.copyOf(items); }

        int size() { return items.size(); }

        Object get(int i) { return items.get(i); }
    }

    /** A set or frozenset, kept as its elements in order (geocont never looks elements up). */
    static final class PySet {
        final List<Object> items = new ArrayList<>();
    }

    /** True for the values Python could use as a dict key that need no deep hashing. */
    static boolean scalar(Object o) {
        return o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Boolean
                || o instanceof Double || o == NONE;
    }

    /** A short type description for messages; never prints a (possibly cyclic or huge) value. */
    static String describe(Object o) {
        if (o instanceof String s) return "str '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        if (o instanceof Long || o instanceof BigInteger) return "int " + o;
        if (o instanceof Double d) return "float " + d;
        if (o instanceof Boolean b) return b ? "True" : "False";
        if (o == NONE) return "None";
        if (o instanceof byte[] b) return "bytes of length " + b.length;
        if (o instanceof Tuple t) return "tuple of " + t.size();
        if (o instanceof List<?> l) return "list of " + l.size();
        if (o instanceof Map<?, ?> m) return "dict of " + m.size();
        if (o instanceof PySet s) return "set of " + s.items.size();
        return String.valueOf(o);
    }
}
