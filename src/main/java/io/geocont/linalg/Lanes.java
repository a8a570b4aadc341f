package io.geocont.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane sums in float64 in a fixed order (lane 0 first), for every kernel that reduces a vector
 * accumulator. reduceLanes leaves the order unspecified (the JIT and the interpreter differ,
 * which would change results between runs). The lanes go to a small array the caller owns and
 * are summed there: one vector store and a scalar loop, several times cheaper than extracting
 * lanes one by one (which cost as much as the dot product itself on rows of a few hundred
 * entries) and bitwise the same sum.
 */
public final class Lanes {
    private Lanes() { }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** The register tree below is written for 16 float lanes over 8 double lanes (AVX-512). */
    private static final boolean TREE = F.length() == 16 && D.length() == 8;
    private static final VectorShuffle<Float> UPPER = TREE ? VectorShuffle.fromOp(F, i -> (i + 8) % 16) : null;
    private static final VectorShuffle<Double> X4 = TREE ? VectorShuffle.fromOp(D, i -> i ^ 4) : null,
            X2 = TREE ? VectorShuffle.fromOp(D, i -> i ^ 2) : null, X1 = TREE ? VectorShuffle.fromOp(D, i -> i ^ 1) : null;

    /**
     * Sum of v's lanes in float64; {@code scratch} holds at least v.length() floats. On 16 lanes
     * the sum is a fixed tree in registers (widen both halves, then three swap-and-add steps),
     * which costs a tenth of the store and sixteen dependent adds of the plain loop; the row
     * kernels flush four accumulators per row block, so on 128-384 wide rows the plain loop cost
     * as much as the dot products themselves. Every partial sum of up to 16 floats is exact in
     * float64 unless their exponents span more than ~29 bits, so the tree gives the loop's bits
     * but for such rare inputs, and it is the same tree in the interpreter and the JIT.
     */
    public static double sum(FloatVector v, float[] scratch) {
        if (TREE && v.species() == F) {
            DoubleVector s = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) v.rearrange(UPPER).convertShape(VectorOperators.F2D, D, 0));
            s = s.add(s.rearrange(X4));
            s = s.add(s.rearrange(X2));
            s = s.add(s.rearrange(X1));
            return s.lane(0);
        }
        v.intoArray(scratch, 0);
        double s = 0;
        for (int i = 0, n = v.length(); i < n; i++) s += scratch[i];
        return s;
    }

    /** Sum of v's lanes; {@code scratch} holds at least v.length() doubles. */
    public static double sum(DoubleVector v, double[] scratch) {
        v.intoArray(scratch, 0);
        double s = 0;
        for (int i = 0, n = v.length(); i < n; i++) s += scratch[i];
        return s;
    }
}
