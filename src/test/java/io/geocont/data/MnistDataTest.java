package io.geocont.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

class MnistDataTest {
    @Test void embeddedSplitIs8000And2000RealDigits() throws IOException {
        Split s = MnistData.load(null);
        assertEquals(MnistData.EMBEDDED_LABEL, s.label());
        assertEquals(8000, s.train().n());
        assertEquals(2000, s.test().n());
        assertEquals(784, s.train().dim());
        int[] counts = new int[10];
        for (int y : s.train().labels()) counts[y]++;
        for (int y : s.test().labels()) counts[y]++;
        // the npm package's per-class counts
        assertArrayEquals(new int[]{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
        int[] testCounts = new int[10];
        for (int y : s.test().labels()) testCounts[y]++;
        for (int c : testCounts) assertTrue(c > 120, "the fixed shuffle spreads every class into the test split");
        // standardized pixels: background 0 maps to -mean/std, ink 1 to (1-mean)/std; overall mean near 0
        double sum = 0;
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : s.train().images()) { sum += v; min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(-Dataset.MEAN / Dataset.STD, min, 1e-6);
        assertEquals((1 - Dataset.MEAN) / Dataset.STD, max, 1e-6);
        assertEquals(0.0, sum / s.train().images().length, 0.1);
    }
}
