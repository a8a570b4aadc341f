package io.geocont.analysis;

import io.geocont.linalg.LayerSource;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.svd.Svds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SeriesAnalyzer and Comparison on in-memory stacks (no checkpoint reader involved). */
class SeriesAndComparisonTest {
    private static final StackAnalyzer ANALYZER = new StackAnalyzer(Svds.topK(1), "test", 1, null);

    private static List<Matrix> noise(int layers, int rows, int cols, long seed) {
        Random r = new Random(seed);
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            float[] d = new float[rows * cols];
            for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
            out.add(new Matrix(rows, cols, d));
        }
        return out;
    }

    private static StackAnalyzer.Model model(String name, int layers) { return new StackAnalyzer.Model(name, "memory", "TEST", layers); }

    private static SeriesAnalyzer.Step step(long n, String arch, List<Matrix> q) {
        return new SeriesAnalyzer.Step(n, "ckpt-" + n, () -> new SeriesAnalyzer.Opened() {
            @Override public StackAnalyzer.Model model() { return SeriesAndComparisonTest.model("m" + n, q.size()); }
            @Override public String architecture() { return arch; }
            @Override public Map<String, LayerSource> stacks(int from, int to) { return Map.of("q", LayerSource.of(q.subList(from, to))); }
            @Override public void close() { }
        });
    }

    @Test void seriesKeepsTheGivenOrderAndAppliesOneRangeToEveryStep() throws Exception {
        SeriesResult s = new SeriesAnalyzer(ANALYZER).analyze(List.of(step(5, "a", noise(5, 8, 6, 1)), step(7, "a", noise(5, 8, 6, 2))),
                n -> new int[] {1, n});
        assertEquals(List.of(5L, 7L), s.entries().stream().map(SeriesResult.Entry::step).toList());
        for (var e : s.entries()) assertEquals(3, e.result().projections().get("q").v1Pairs().length, "layers 1:5, 3 pairs");
    }

    @Test void seriesRefusesAnotherArchitectureOrShapeNamingBothCheckpoints() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SeriesAnalyzer(ANALYZER)
                .analyze(List.of(step(1, "llama", noise(3, 8, 6, 1)), step(2, "gpt2", noise(3, 8, 6, 2))), n -> new int[] {0, n}));
        assertTrue(e.getMessage().contains("ckpt-1") && e.getMessage().contains("ckpt-2") && e.getMessage().contains("gpt2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SeriesAnalyzer(ANALYZER)
                .analyze(List.of(step(1, "a", noise(3, 8, 6, 1)), step(2, "a", noise(3, 8, 7, 2))), n -> new int[] {0, n}));
        assertTrue(e.getMessage().contains("8x7") && e.getMessage().contains("8x6"), e.getMessage());
    }

    @Test void comparisonOfAStackWithItselfIsCos1WithAnUndefinedDifference() throws Exception {
        List<Matrix> a = noise(3, 10, 7, 3);
        Map<String, LayerSource> sa = new LinkedHashMap<>(Map.of("q", LayerSource.of(a)));
        ComparisonResult c = Comparison.compare(ANALYZER, model("A", 3), sa, model("B", 3), sa, 0, 3);
        for (double x : c.crossV1().get("q")) assertEquals(1.0, x, 1e-9);
        for (double x : c.crossU1().get("q")) assertEquals(1.0, x, 1e-9);
        var d = c.difference().projections().get("q");
        for (String why : d.undefined()) assertTrue(why != null && why.contains("zero matrix"), String.valueOf(why));
        assertTrue(Double.isNaN(d.v1Mean()) && Double.isNaN(d.u1Mean()));
        for (String why : c.crossUndefined().get("q")) assertNull(why);
    }

    @Test void comparisonRefusesOtherShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Comparison.compare(ANALYZER,
                model("A", 3), Map.of("q", LayerSource.of(noise(3, 10, 7, 3))), model("B", 3), Map.of("q", LayerSource.of(noise(3, 10, 8, 4))), 0, 3));
        assertTrue(e.getMessage().contains("same-shaped") && e.getMessage().contains("10x8") && e.getMessage().contains("10x7"), e.getMessage());
    }
}
