package io.geocont.experiments;

/** Mean and sample standard deviation over seeds (std 0 for a single seed). */
public final class Stats {
    private Stats() { }

    public static double mean(double[] x) {
        if (x.length == 0) return Double.NaN;
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Sample standard deviation (n - 1); 0 when {@code n < 2}. */
    public static double std(double[] x) {
        if (x.length < 2) return 0;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1));
    }
}
