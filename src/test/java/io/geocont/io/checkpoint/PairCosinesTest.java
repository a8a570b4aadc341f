package io.geocont.io.checkpoint;

import io.geocont.analysis.SvdResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PairCosinesTest {
    @Test void baselineMatchesThePapersValues() {
        assertEquals(0.0997, PairCosines.randomBaseline(64), 5e-4);   // PAPER.md: 0.100 at d = 64
        assertEquals(0.0499, PairCosines.randomBaseline(256), 5e-4);  // 0.050 at 256
        assertEquals(0.01247, PairCosines.randomBaseline(4096), 5e-5); // 0.0125 at 4096
        assertEquals(Math.sqrt(2 / (Math.PI * 14336.0)), PairCosines.randomBaseline(14336), 1e-6);
        assertEquals(2 / Math.PI, PairCosines.randomBaseline(2), 1e-12); // E|cos| on the circle
        assertEquals(0.5, PairCosines.randomBaseline(3), 1e-12);         // uniform on [-1, 1]
    }

    @Test void pairsAreAbsoluteCosinesOfAdjacentLayers() {
        double r = Math.sqrt(0.5);
        SvdResult a = new SvdResult(2, 2, new double[] {1}, new double[][] {{1, 0}}, new double[][] {{1, 0}}, 1, false);
        SvdResult b = new SvdResult(2, 2, new double[] {1}, new double[][] {{0, -1}}, new double[][] {{-r, r}}, 1, false);
        SvdResult c = new SvdResult(2, 2, new double[] {1}, new double[][] {{0, 1}}, new double[][] {{-1, 0}}, 1, false);
        assertArrayEquals(new double[] {r, r}, PairCosines.pairs(List.of(a, b, c), true, 0), 1e-12);
        assertArrayEquals(new double[] {0, 1}, PairCosines.pairs(List.of(a, b, c), false, 0), 1e-12);
        assertEquals(0.5, PairCosines.mean(new double[] {0, 1}), 0);
    }
}
