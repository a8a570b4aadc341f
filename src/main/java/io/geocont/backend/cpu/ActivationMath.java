package io.geocont.backend.cpu;

import io.geocont.backend.Activation;

/**
 * Scalar activation functions and derivatives, in double (callers round to float once).
 *
 * <p>Element-wise: {@link #value} and {@link #derivative}. Radial (row-wise) activations are
 * written as phi(h) = g(r) h with r = ||h||; {@link #radialGain} gives g(r) and
 * {@link #radialGainDerivativeTimesR} g'(r) r, so the Jacobian is g(r) I + g'(r) u u^T r with u = h / r,
 * i.e. J^T d = g d + g'(r) r (u.d) u.
 *
 * <p>Convention at r = 0 (no NaN, no infinity): phi(0) = 0, and g(0) is the limit of g as
 * r -> 0+: 1 for RADIAL_TANH (tanh(r)/r -> 1), 1/2 for RADIAL_SIGMOID, and for RADIAL_RELU 0 when
 * {@code b > 0}, 1 when b = 0, and 0 when {@code b < 0} (where the true limit is infinite; we take 0). The
 * g'(r) r term vanishes at r = 0.
 */
public final class ActivationMath {
    private ActivationMath() { }

    private static final double SQRT1_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /**
     * The erfc fit below: erfc(z) = t exp(-z^2 + ERFC_OFFSET + t P(t)) for z >= 0, t = 1 / (1 + z/2),
     * P(t) = ERFC_POLY[0] + t ERFC_POLY[1] + ...; shared with {@link VectorActivationMath} so the
     * vector kernels evaluate the same fit in the same operation order (bitwise the same but for the
     * exp, see there).
     */
    static final double ERFC_OFFSET = -1.26551223;
    static final double[] ERFC_POLY = {1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807,
            -1.13520398, 1.48851587, -0.82215223, 0.17087277};

    /**
     * Complementary error function with relative error below 1.2e-7 for every real x (the
     * Chebyshev fit of Numerical Recipes' erfcc), i.e. float32 accuracy even in the far tail
     * where 1 - erf(x) would lose every digit.
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double p = ERFC_POLY[ERFC_POLY.length - 1];
        for (int i = ERFC_POLY.length - 2; i >= 0; i--) p = ERFC_POLY[i] + t * p; // Horner, innermost first
        double ans = t * Math.exp(-z * z + ERFC_OFFSET + t * p);
        // x >= 0: ans; x < 0: 2 - ans. Branch-free (random signs defeat branch prediction); both
        // terms are exact selections, so the tail keeps its relative accuracy.
        double s = Math.copySign(1.0, x);
        return (1.0 - s) + s * ans;
    }

    /** {@code erf(x) = 1 - erfc(x)} for {@code |x| >= 0.5}; a Taylor series (relative error {@code < 1e-15}) near 0. */
    public static double erf(double x) {
        if (Math.abs(x) < 0.5) {
            // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)); 12 terms reach 1e-16 at |x| = 0.5.
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 14; n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return 1.1283791670955126 * sum;
        }
        return 1.0 - erfc(x);
    }

    /** Standard normal CDF, accurate in relative terms in both tails. */
    public static double normalCdf(double x) { return 0.5 * erfc(-x * SQRT1_2); }

    /** 1 / (1 + e^-x): branch-free and safe in double for every x (e^-x = inf gives exactly 0). */
    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * {@code v}, or a zero of v's sign where v is subnormal ({@code 0 < |v| < Float.MIN_NORMAL}). The CPU
     * backend applies it to the float results of GELU and SiLU and their backward. Their far
     * negative tails land there (GELU below x = -13.1, SiLU below -91.9, the derivatives nearby),
     * and every GEMM that reads such values runs many times slower on x86 (microcode assists for
     * subnormal operands; a 128^3 product with 10% subnormal inputs: 41 -> 623 us). Values that
     * small vanish when added to any float above 2e-31; Table 1 is bitwise the same with and
     * without the flush.
     */
    public static float flushSubnormal(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? v * 0f : v;
    }

    /** Element-wise activation value. */
    public static double value(Activation act, double x) {
        return switch (act) {
            case IDENTITY -> x;
            case RELU -> Math.max(x, 0.0); // NaN propagates, as in PyTorch
            case GELU -> x * normalCdf(x);
            case SILU -> x * sigmoid(x);
            case TANH -> Math.tanh(x);
            default -> throw new IllegalArgumentException(act + " is row-wise, not element-wise");
        };
    }

    /** Element-wise derivative; ReLU'(0) = 0 (PyTorch's convention). */
    public static double derivative(Activation act, double x) {
        return switch (act) {
            case IDENTITY -> 1.0;
            case RELU -> x > 0 ? 1.0 : 0.0;
            case GELU -> normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case SILU -> {
                double s = sigmoid(x);
                yield s * (1.0 + x * (1.0 - s));
            }
            case TANH -> {
                double t = Math.tanh(x);
                yield 1.0 - t * t;
            }
            default -> throw new IllegalArgumentException(act + " is row-wise, not element-wise");
        };
    }

    /** g(r) for a radial activation phi(h) = g(||h||) h (see the class comment for r = 0). */
    public static double radialGain(Activation act, double r, double b) {
        switch (act) {
            case RADIAL_TANH:
                if (r < 1e-4) return 1.0 - r * r / 3.0 + 2.0 * r * r * r * r / 15.0; // series of tanh(r)/r
                return Math.tanh(r) / r;
            case RADIAL_RELU:
                if (r == 0.0) return b == 0.0 ? 1.0 : 0.0;
                return r > b ? (r - b) / r : 0.0;
            case RADIAL_SIGMOID:
                return sigmoid(r);
            default:
                throw new IllegalArgumentException(act + " is not a radial activation");
        }
    }

    /**
     * g'(r) * r, the coefficient of (u.d) u in the Jacobian-vector product (finite at r = 0,
     * where it is 0 for every radial form).
     */
    public static double radialGainDerivativeTimesR(Activation act, double r, double b) {
        switch (act) {
            case RADIAL_TANH: {
                if (r < 1e-2) { // (r sech^2 r - tanh r) / r: series -2r^2/3 + 8r^4/15 - 68r^6/315 (cancellation otherwise)
                    double r2 = r * r;
                    return r2 * (-2.0 / 3.0 + r2 * (8.0 / 15.0 - r2 * 68.0 / 315.0));
                }
                double t = Math.tanh(r);
                return (r * (1.0 - t * t) - t) / r;
            }
            case RADIAL_RELU:
                if (r == 0.0) return 0.0;
                return r > b ? b / r : 0.0; // g = 1 - b/r, g' r = b / r
            case RADIAL_SIGMOID: {
                double s = sigmoid(r);
                return s * (1.0 - s) * r;
            }
            default:
                throw new IllegalArgumentException(act + " is not a radial activation");
        }
    }
}
