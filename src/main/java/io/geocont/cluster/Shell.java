package io.geocont.cluster;

import java.util.List;
import java.util.stream.Collectors;

/** Quoting for the bash scripts we write: every word single-quoted unless it is plainly safe. */
final class Shell {
    private Shell() { }

    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String join(List<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    /** Refuses a value that would break out of the one line it is written on. */
    static String oneLine(String what, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)
            throw new IllegalArgumentException(what + " must be one line, got " + value.replace("\n", "\\n"));
        return value;
    }
}
