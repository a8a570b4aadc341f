package io.geocont.report;

import java.util.List;
import java.util.Locale;

/** RFC 4180 rows: a field with a comma, quote or line break is quoted; NaN is an empty cell (pandas reads it as NaN). */
final class Csv {
    private Csv() { }

    static String num(double x) { return Double.isNaN(x) ? "" : Double.toString(x); }

    static String field(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static void row(StringBuilder b, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) b.append(i == 0 ? "" : ",").append(field(fields.get(i)));
        b.append('\n');
    }

    static String integer(long x) { return String.format(Locale.ROOT, "%d", x); }
}
