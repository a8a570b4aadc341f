package io.geocont.linalg;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LanesTest {
    private static final int W = FloatVector.SPECIES_PREFERRED.length();

    private static double sequential(float[] lanes) {
        double s = 0;
        for (float f : lanes) s += f;
        return s;
    }

    @Test void laneSumGivesTheSequentialFloat64SumOnOrdinaryLanes() {
        // 16 floats whose exponents span at most 17 binary orders: every partial sum needs at most
        // 24 + 17 + 4 < 53 bits, so it is exact in float64 and any order gives the loop's bits
        SplittableRandom rng = new SplittableRandom(3);
        float[] lanes = new float[W], scratch = new float[W];
        for (int trial = 0; trial < 10_000; trial++) {
            for (int i = 0; i < W; i++) lanes[i] = (float) ((rng.nextBoolean() ? 1 : -1) * (1 + rng.nextDouble()) * Math.pow(2, rng.nextInt(-8, 9)));
            assertEquals(sequential(lanes), Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, lanes, 0), scratch), 0.0, "trial " + trial);
        }
    }

    @Test void laneSumStaysWithinARoundingOfTheExactSumOnWideRanges() {
        SplittableRandom rng = new SplittableRandom(4);
        float[] lanes = new float[W], scratch = new float[W];
        for (int trial = 0; trial < 10_000; trial++) {
            BigDecimal exact = BigDecimal.ZERO;
            double scale = 0;
            for (int i = 0; i < W; i++) {
                lanes[i] = (float) (rng.nextGaussian() * Math.pow(2, rng.nextInt(-60, 60)));
                exact = exact.add(new BigDecimal(lanes[i]));
                scale = Math.max(scale, Math.abs(lanes[i]));
            }
            double got = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, lanes, 0), scratch);
            assertEquals(exact.doubleValue(), got, 4 * Math.ulp(scale), "trial " + trial);
        }
    }

    @Test void laneSumOfSpecialValues() {
        float[] lanes = new float[W], scratch = new float[W];
        lanes[W - 1] = Float.NaN;
        assertEquals(Double.NaN, Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, lanes, 0), scratch));
        lanes[W - 1] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, lanes, 0), scratch));
    }
}
