package io.geocont.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.geocont.io.AtomicFiles;

import java.util.List;
import java.util.Map;

/**
 * A small block-style YAML writer for manifests built as maps, lists, strings, numbers and
 * booleans. Every string is written double-quoted with JSON escapes (valid YAML), so no value can
 * turn into a number, a boolean or a second key by accident.
 */
final class Yaml {
    private Yaml() { }

    static String write(Map<String, ?> doc) {
        StringBuilder b = new StringBuilder();
        map(b, doc, 0);
        return b.toString();
    }

    private static void map(StringBuilder b, Map<?, ?> m, int indent) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            b.append(" ".repeat(indent)).append(key(e.getKey().toString())).append(':');
            value(b, e.getValue(), indent);
        }
    }

    /** After "key:" or "-": a scalar on the same line, a collection on the next ones. */
    private static void value(StringBuilder b, Object v, int indent) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            b.append('\n');
            map(b, m, indent + 2);
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            b.append('\n');
            list(b, l, indent);
        } else {
            b.append(' ').append(scalar(v)).append('\n');
        }
    }

    private static void list(StringBuilder b, List<?> l, int indent) {
        for (Object item : l) {
            if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                StringBuilder sub = new StringBuilder();
                map(sub, m, indent + 2);
                b.append(" ".repeat(indent)).append("- ").append(sub, indent + 2, sub.length());
            } else if (item instanceof List<?> inner && !inner.isEmpty()) {
                b.append(" ".repeat(indent)).append("-\n");
                list(b, inner, indent + 2);
            } else {
                b.append(" ".repeat(indent)).append("- ").append(scalar(item)).append('\n');
            }
        }
    }

    private static String key(String k) {
        return k.matches("[A-Za-z_][A-Za-z0-9_./-]*") ? k : quoted(k);
    }

    private static String scalar(Object v) {
        if (v == null) return "null";
        if (v instanceof Map<?, ?>) return "{}";
        if (v instanceof List<?>) return "[]";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        return quoted(v.toString());
    }

    private static String quoted(String s) {
        try {
            return AtomicFiles.json().writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
