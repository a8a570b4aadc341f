package io.geocont.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SwiGLU rows (the transformer's gated MLP): out = silu(gate) * up and its backward, in double
 * and rounded to float once like every activation here, but with a vector exp: the scalar
 * Math.exp per element was a quarter of a transformer step. The vector exp (the JDK's
 * intrinsic, within 1 ulp in double) may differ from Math.exp in the last bit of the double,
 * which the rounding to float almost always hides; it is the same on every call and thread
 * count. The tail past the last full vector uses the scalar formulas of ActivationMath.
 */
final class GatedSilu {
    private GatedSilu() { }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();

    private static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(F, x, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void store(DoubleVector v, float[] out, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(out, i);
    }

    private static DoubleVector one() { return DoubleVector.broadcast(D, 1.0); }

    /** out[base + j] = silu(gate) * up over one row of cols values. */
    static void forwardRow(float[] g, float[] u, float[] out, int base, int cols) {
        int j = 0;
        for (int bound = cols - cols % L; j < bound; j += L) {
            DoubleVector x = widen(g, base + j);
            DoubleVector s = one().div(x.neg().lanewise(VectorOperators.EXP).add(1.0));
            store(x.mul(s).mul(widen(u, base + j)), out, base + j);
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
            DoubleVector s = one().div(x.neg().lanewise(VectorOperators.EXP).add(1.0));
            DoubleVector deriv = s.mul(x.mul(one().sub(s)).add(1.0));
            store(d.mul(widen(u, i)).mul(deriv), dGate, i);
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
