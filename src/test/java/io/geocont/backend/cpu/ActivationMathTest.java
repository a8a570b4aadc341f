package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ActivationMathTest {

    /** Independent double reference: erf by its Maclaurin series (|x| <= 3), erfc by Lentz's continued fraction beyond. */
    static double erfcRef(double x) {
        if (x < 0) return 2 - erfcRef(-x);
        if (x <= 3) {
            // erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)): positive terms, no cancellation
            double term = x, sum = x;
            for (int n = 1; n < 200; n++) {
                term *= 2 * x * x / (2 * n + 1);
                sum += term;
                if (term < 1e-18 * sum) break;
            }
            return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = 1 / d;
            c = x + an / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    @Test
    void erfcHasFloatRelativeAccuracyEverywhere() {
        double worst = 0;
        for (double x = -6; x <= 9; x += 0.001) {
            double ref = erfcRef(x), got = ActivationMath.erfc(x);
            worst = Math.max(worst, Math.abs(got - ref) / ref);
        }
        assertTrue(worst < 1.3e-7, "erfc worst relative error " + worst);
        assertEquals(0.8427007929497149, ActivationMath.erf(1), 2e-7);
        assertEquals(0.0, ActivationMath.erf(0), 0);
        assertEquals(-0.1124629160182849, ActivationMath.erf(-0.1), 1e-15); // series branch near 0
    }

    @Test
    void geluIsTheExactErfFormNotTheTanhApproximation() {
        for (double x = -8; x <= 8; x += 0.01) {
            double ref = 0.5 * x * erfcRef(-x / Math.sqrt(2));
            double got = ActivationMath.value(Activation.GELU, x);
            assertEquals(ref, got, 2e-7 * Math.abs(ref) + 1e-300, "gelu(" + x + ")");
        }
        // Where the tanh approximation differs from the erf form by ~1e-4 we must match erf.
        double x = -3;
        double tanhApprox = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        double exact = 0.5 * x * erfcRef(-x / Math.sqrt(2));
        assertTrue(Math.abs(tanhApprox - exact) > 1e-5);
        assertEquals(exact, ActivationMath.value(Activation.GELU, x), 1e-9);
    }

    @Test
    void derivativesMatchFiniteDifferencesInDouble() {
        for (Activation a : new Activation[]{Activation.GELU, Activation.SILU, Activation.TANH, Activation.IDENTITY}) {
            for (double x = -5; x <= 5; x += 0.037) {
                double h = 1e-5;
                double fd = (ActivationMath.value(a, x + h) - ActivationMath.value(a, x - h)) / (2 * h);
                assertEquals(fd, ActivationMath.derivative(a, x), 2e-6, a + "'(" + x + ")");
            }
        }
        assertEquals(0.0, ActivationMath.derivative(Activation.RELU, 0.0));
        assertEquals(1.0, ActivationMath.derivative(Activation.RELU, 1e-9));
    }

    @Test
    void radialGainDerivativeMatchesFiniteDifferencesAcrossTheSeriesSwitch() {
        for (Activation a : new Activation[]{Activation.RADIAL_TANH, Activation.RADIAL_SIGMOID, Activation.RADIAL_RELU}) {
            for (double r : new double[]{1e-3, 9e-3, 1.1e-2, 0.3, 1.7, 4}) {
                double h = r * 1e-4, b = 0.2;
                if (a == Activation.RADIAL_RELU && Math.abs(r - b) < 2 * h) continue;
                double fd = (ActivationMath.radialGain(a, r + h, b) - ActivationMath.radialGain(a, r - h, b)) / (2 * h);
                double want = fd * r;
                assertEquals(want, ActivationMath.radialGainDerivativeTimesR(a, r, b), 1e-7 + 1e-6 * Math.abs(want), a + " at r=" + r);
            }
        }
    }
}
