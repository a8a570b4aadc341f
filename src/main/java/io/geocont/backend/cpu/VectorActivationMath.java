package io.geocont.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationMath}'s element-wise formulas on double vectors, and the GELU/SiLU row kernels
 * built from them: float in, double inside, float out once, like the scalar path. The scalar
 * Math.exp/erfc per element was more than half of a GELU or SiLU MLP run.
 *
 * <p>Every formula here is the scalar one with the same operations in the same order (the erfc
 * fit's coefficients are ActivationMath's), so each double result is bitwise the scalar one
 * except where the vector exp (the JDK's intrinsic, within 1 ulp) differs from Math.exp in the
 * last bit, which the rounding to float almost always hides (VectorActivationMathTest measures
 * it). Results do not depend on the position in a row: a row's tail past the last full vector
 * goes through the same vector code under a mask, not a scalar loop. The float results of the
 * row kernels are then flushed from subnormal to zero ({@link ActivationMath#flushSubnormal}
 * says why: subnormal operands made every GEMM after a GELU layer several times slower).
 */
final class VectorActivationMath {
    private VectorActivationMath() { }

    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as D, so one float load widens to one double vector. */
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    static final int L = D.length();

    private static final double SQRT1_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final long SIGN_BIT = Long.MIN_VALUE;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    // ---------------------------------------------------------------- float <-> double lanes

    static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(F, x, i).convertShape(VectorOperators.F2D, D, 0);
    }

    static DoubleVector widen(float[] x, int i, VectorMask<Float> m) {
        return (DoubleVector) FloatVector.fromArray(F, x, i, m).convertShape(VectorOperators.F2D, D, 0);
    }

    static void store(DoubleVector v, float[] out, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(out, i);
    }

    private static FloatVector toFloat(DoubleVector v) { return (FloatVector) v.convertShape(VectorOperators.D2F, F, 0); }

    /** {@link ActivationMath#flushSubnormal} lane-wise: subnormal floats become zero of the same sign. */
    static FloatVector flushSubnormals(FloatVector v) {
        return v.blend(v.mul(0f), v.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
    }

    private static DoubleVector one() { return DoubleVector.broadcast(D, 1.0); }

    // ---------------------------------------------------------------- formulas (ActivationMath's, lane-wise)

    /** {@link ActivationMath#sigmoid}: 1 / (1 + e^-x). */
    static DoubleVector sigmoid(DoubleVector x) {
        return one().div(x.neg().lanewise(VectorOperators.EXP).add(1.0));
    }

    /** {@link ActivationMath#erfc}: the same fit, the same operation order. */
    static DoubleVector erfc(DoubleVector x) {
        double[] c = ActivationMath.ERFC_POLY;
        DoubleVector z = x.abs();
        DoubleVector t = one().div(z.mul(0.5).add(1.0));
        DoubleVector p = DoubleVector.broadcast(D, c[c.length - 1]);
        for (int i = c.length - 2; i >= 0; i--) p = t.mul(p).add(c[i]);
        DoubleVector ans = t.mul(z.neg().mul(z).add(ActivationMath.ERFC_OFFSET).add(t.mul(p)).lanewise(VectorOperators.EXP));
        // copySign(1.0, x) from the bits: x's sign on 1.0 (NaN keeps its sign bit, as Math.copySign does)
        DoubleVector s = x.reinterpretAsLongs().and(SIGN_BIT).or(ONE_BITS).reinterpretAsDoubles();
        return one().sub(s).add(s.mul(ans));
    }

    /** {@link ActivationMath#normalCdf}: 0.5 erfc(-x / sqrt 2). */
    static DoubleVector normalCdf(DoubleVector x) { return erfc(x.neg().mul(SQRT1_2)).mul(0.5); }

    /** GELU(x) = x Phi(x). */
    static DoubleVector gelu(DoubleVector x) { return x.mul(normalCdf(x)); }

    /** GELU'(x) = Phi(x) + x phi(x). */
    static DoubleVector geluDerivative(DoubleVector x) {
        return normalCdf(x).add(x.mul(INV_SQRT_2PI).mul(x.mul(-0.5).mul(x).lanewise(VectorOperators.EXP)));
    }

    /** SiLU(x) = x sigmoid(x). */
    static DoubleVector silu(DoubleVector x) { return x.mul(sigmoid(x)); }

    /** SiLU'(x) = s (1 + x (1 - s)), s = sigmoid(x). */
    static DoubleVector siluDerivative(DoubleVector x) { return siluDerivative(x, sigmoid(x)); }

    /** SiLU'(x) from s = sigmoid(x), for callers that need s too (one exp, not two). */
    static DoubleVector siluDerivative(DoubleVector x, DoubleVector s) { return s.mul(x.mul(one().sub(s)).add(1.0)); }

    // ---------------------------------------------------------------- row kernels

    /**
     * One row of biasActForward for GELU in one pass: z += bias (if any), then out = gelu(z)
     * (+ residual), the float operations of the scalar path (the activation in double, rounded
     * once and flushed if subnormal, then the float residual add). Each lane's residual is read
     * before its output is written, so out may alias residual; it must not alias z.
     *
     * <p>One method per activation and direction, each called from its own lambda in CpuBackend:
     * C2 gives a compiled method a bounded inlining budget, and GELU's erfc uses most of it; when
     * one method held both activations, the second one's Vector API calls were left un-inlined
     * (boxed vectors, the Java fallbacks) and SiLU ran 4-7x slower in a sweep that had run GELU
     * first. Every vector is under a mask that is full but in the row's tail.
     */
    static void biasGeluRow(float[] z, float[] bias, float[] res, float[] out, int base, int cols) {
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> m = F.indexInRange(j, cols);
            finishForward(gelu(addBias(z, bias, base, j, m)), res, out, base + j, m);
        }
    }

    /** {@link #biasGeluRow} for SiLU. */
    static void biasSiluRow(float[] z, float[] bias, float[] res, float[] out, int base, int cols) {
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> m = F.indexInRange(j, cols);
            finishForward(silu(addBias(z, bias, base, j, m)), res, out, base + j, m);
        }
    }

    /** z[base + j ..] += bias[j ..] under m (no bias: unchanged), returned widened to double. */
    private static DoubleVector addBias(float[] z, float[] bias, int base, int j, VectorMask<Float> m) {
        FloatVector v = FloatVector.fromArray(F, z, base + j, m);
        if (bias != null) {
            v = v.add(FloatVector.fromArray(F, bias, j, m));
            v.intoArray(z, base + j, m);
        }
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    /** out[i ..] = flush(float(y)) (+ res[i ..]) under m. */
    private static void finishForward(DoubleVector y, float[] res, float[] out, int i, VectorMask<Float> m) {
        FloatVector f = flushSubnormals(toFloat(y));
        if (res != null) f = f.add(FloatVector.fromArray(F, res, i, m));
        f.intoArray(out, i, m);
    }

    /**
     * dPre[i] = dOut[i] * gelu'(pre[i]), rounded and flushed if subnormal, for i in [off, off + n);
     * dPre may alias dOut. (One method per activation: see {@link #biasGeluRow}.)
     */
    static void geluBackward(float[] pre, float[] dOut, float[] dPre, int off, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = F.indexInRange(j, n);
            int i = off + j;
            flushSubnormals(toFloat(widen(dOut, i, m).mul(geluDerivative(widen(pre, i, m))))).intoArray(dPre, i, m);
        }
    }

    /** {@link #geluBackward} for SiLU. */
    static void siluBackward(float[] pre, float[] dOut, float[] dPre, int off, int n) {
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = F.indexInRange(j, n);
            int i = off + j;
            flushSubnormals(toFloat(widen(dOut, i, m).mul(siluDerivative(widen(pre, i, m))))).intoArray(dPre, i, m);
        }
    }
}
