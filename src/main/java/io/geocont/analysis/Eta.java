package io.geocont.analysis;

/** The one way geocont writes a remaining time: "42s", "3m07s", "1h05m". */
public final class Eta {
    private Eta() { }

    public static String format(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
