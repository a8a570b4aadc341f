package io.geocont.backend.cpu;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central finite differences of a weighted loss L(x) = sum_i w_i f(x)_i, where f is a float32 op.
 *
 * <p>Tolerance reasoning: we use Richardson extrapolation D = (4 D(h/2) - D(h)) / 3 of central
 * differences with h = 1e-2 on inputs of order 1, so truncation error is O(h^4) ~ 1e-8 relative.
 * The loss is summed in double, but each of the n outputs carries a float32 rounding error of
 * about 6e-8 |f_i|; divided by the step (>= 5e-3) that gives ~1e-5 sqrt(n) absolute noise. A
 * tolerance of 2e-4 * (1 + max |grad|) sits well above that noise and well below any real bug
 * (a wrong sign, factor or missing term changes gradients by O(1e-1) or more).
 */
final class GradCheck {
    private GradCheck() { }

    static final double H = 1e-2;
    static final double TOL = 2e-4;

    static float[] randn(Random rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * scale);
        return x;
    }

    /** Like randn but every |x| >= margin (keeps kinks such as ReLU's 0 out of the stencil). */
    static float[] randnAwayFromZero(Random rnd, int n, double margin) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = rnd.nextGaussian();
            x[i] = (float) (Math.copySign(margin, v) + v);
        }
        return x;
    }

    static double loss(float[] out, float[] w) {
        double s = 0;
        for (int i = 0; i < out.length; i++) s += (double) w[i] * out[i];
        return s;
    }

    /** Numerical gradient of x -> loss(f(x), w) by Richardson-extrapolated central differences. */
    static double[] numeric(float[] x, float[] w, Function<float[], float[]> f) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double d1 = central(x, i, H, w, f), d2 = central(x, i, H / 2, w, f);
            g[i] = (4 * d2 - d1) / 3;
        }
        return g;
    }

    private static double central(float[] x, int i, double h, float[] w, Function<float[], float[]> f) {
        float[] xp = x.clone(), xm = x.clone();
        xp[i] = (float) (x[i] + h);
        xm[i] = (float) (x[i] - h);
        double step = (double) xp[i] - xm[i]; // the step actually taken in float32
        return (loss(f.apply(xp), w) - loss(f.apply(xm), w)) / step;
    }

    static void assertGradient(String what, float[] analytic, double[] numeric) {
        assertGradient(what, analytic, numeric, TOL);
    }

    static void assertGradient(String what, float[] analytic, double[] numeric, double tol) {
        if (analytic.length != numeric.length) fail(what + ": length " + analytic.length + " vs " + numeric.length);
        double max = 0;
        for (double v : numeric) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < analytic.length; i++) {
            double err = Math.abs(analytic[i] - numeric[i]);
            if (!(err <= tol * (1 + max)))
                fail(what + ": element " + i + " analytic " + analytic[i] + " numeric " + numeric[i]
                        + " (|err| " + err + " > " + tol * (1 + max) + ")");
        }
    }
}
