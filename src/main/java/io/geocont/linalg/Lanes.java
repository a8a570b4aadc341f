package io.geocont.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

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

    /** Sum of v's lanes in float64; {@code scratch} holds at least v.length() floats. */
    public static double sum(FloatVector v, float[] scratch) {
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
