package io.geocont.backend.cpu;

import jdk.incubator.vector.DoubleVector;

import static io.geocont.backend.cpu.VectorActivationMath.sigmoid;
import static io.geocont.backend.cpu.VectorActivationMath.siluDerivative;
import static io.geocont.backend.cpu.VectorActivationMath.store;
import static io.geocont.backend.cpu.VectorActivationMath.widen;

/**
 * SwiGLU rows (the transformer's gated MLP): out = silu(gate) * up and its backward, in double
 * and rounded to float once like every activation here, with {@link VectorActivationMath}'s
 * vector sigmoid: the scalar Math.exp per element was a quarter of a transformer step. The vector
 * exp (the JDK's intrinsic, within 1 ulp in double) may differ from Math.exp in the last bit of
 * the double, which the rounding to float almost always hides; it is the same on every call and
 * thread count. The tail past the last full vector uses the scalar formulas of ActivationMath.
 */
final class GatedSilu {
    private GatedSilu() { }

    private static final int L = VectorActivationMath.L;

    /** out[base + j] = silu(gate) * up over one row of cols values. */
    static void forwardRow(float[] g, float[] u, float[] out, int base, int cols) {
        int j = 0;
        for (int bound = cols - cols % L; j < bound; j += L) {
            DoubleVector x = widen(g, base + j);
            store(x.mul(sigmoid(x)).mul(widen(u, base + j)), out, base + j);
        }
        for (; j < cols; j++) {
            double x = g[base + j];
            out[base + j] = (float) (x * ActivationMath.sigmoid(x) * u[base + j]);
        }
    }

    /** dGate = dOut * up * silu'(gate), dUp = dOut * silu(gate) over one row (outputs may alias dOut). */
    static void backwardRow(float[] dOut, float[] g, float[] u, float[] dGate, float[] dUp, int base, int cols) {
        int j = 0;
        for (int bound = cols - cols % L; j < bound; j += L) {
            int i = base + j;
            DoubleVector x = widen(g, i), d = widen(dOut, i);
            DoubleVector s = sigmoid(x);
            store(d.mul(widen(u, i)).mul(siluDerivative(x, s)), dGate, i);
            store(d.mul(x.mul(s)), dUp, i);
        }
        for (; j < cols; j++) {
            int i = base + j;
            double x = g[i], d = dOut[i], sg = ActivationMath.sigmoid(x);
            dGate[i] = (float) (d * u[i] * (sg * (1.0 + x * (1.0 - sg))));
            dUp[i] = (float) (d * (x * sg));
        }
    }
}
