package io.geocont.analysis;

import io.geocont.linalg.SvdResult;
import io.geocont.linalg.svd.Svds;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.svd.KnownSpectrum;

import io.geocont.analysis.Continuity.S2Variant;
import io.geocont.analysis.Continuity.Side;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ContinuityTest {

    private static List<Matrix> gaussianStack(int layers, int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) out.add(KnownSpectrum.gaussian(rows, cols, rng));
        return out;
    }

    /** Layers s * u v^T + Gaussian noise with one shared (u, v): a clear leading direction. */
    private static List<Matrix> plantedStack(int layers, int rows, int cols, double strength, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        KnownSpectrum planted = new KnownSpectrum(rows, cols, new double[] {strength}, seed + 1);
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            Matrix a = KnownSpectrum.gaussian(rows, cols, rng);
            for (int i = 0; i < a.data().length; i++) a.data()[i] += (float) planted.a[i];
            out.add(a);
        }
        return out;
    }

    @Test void baselineMatchesClosedFormAndKnownValues() {
        // E_1 = 1, E_2 = 2/pi, E_{d+2} = E_d * d / (d+1): an independent route to the Gamma ratio
        double odd = 1, even = 2 / Math.PI;
        for (int d = 1; d <= 4100; d++) {
            double want = d % 2 == 1 ? odd : even;
            assertEquals(want, Continuity.randomBaseline(d), 1e-11 * want, "d=" + d);
            if (d % 2 == 1) odd *= (double) d / (d + 1); else even *= (double) d / (d + 1);
        }
        assertEquals(0.100, Continuity.randomBaseline(64), 5e-4);
        assertEquals(0.050, Continuity.randomBaseline(256), 5e-4);
        assertEquals(0.0125, Continuity.randomBaseline(4096), 5e-5);
        assertEquals(Math.sqrt(2 / (Math.PI * 4096)), Continuity.randomBaseline(4096), 1e-6);
        double b = Continuity.randomBaseline(64);
        assertEquals(Math.sqrt(1.0 / 64 - b * b), Continuity.randomBaselineStd(64), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Continuity.randomBaseline(0));
    }

    @Test void baselineAgreesWithMonteCarlo() {
        int d = 16, trials = 20000;
        SplittableRandom rng = new SplittableRandom(3);
        double sum = 0, sq = 0;
        for (int t = 0; t < trials; t++) {
            double[] x = new double[d], y = new double[d];
            for (int j = 0; j < d; j++) { x[j] = rng.nextGaussian(); y[j] = rng.nextGaussian(); }
            double c = Math.abs(KnownSpectrum.dot(x, y)) / Math.sqrt(KnownSpectrum.dot(x, x) * KnownSpectrum.dot(y, y));
            sum += c; sq += c * c;
        }
        double mean = sum / trials, std = Math.sqrt(sq / trials - mean * mean);
        double se = Continuity.randomBaselineStd(d) / Math.sqrt(trials);
        assertEquals(Continuity.randomBaseline(d), mean, 3 * se);
        assertEquals(Continuity.randomBaselineStd(d), std, 0.01);
    }

    @Test void randomStacksSitAtTheBaseline() {
        int layers = 121, rows = 40, cols = 24;
        Continuity.ContinuityReport r = Continuity.report(gaussianStack(layers, rows, cols, 11), Svds.exact());
        assertEquals(layers, r.layers());
        assertEquals(layers - 1, r.v1Pairs().length);
        double seV = Continuity.randomBaselineStd(cols) / Math.sqrt(layers - 1);
        double seU = Continuity.randomBaselineStd(rows) / Math.sqrt(layers - 1);
        assertEquals(Continuity.randomBaseline(cols), r.baselineV(), 0);
        assertEquals(Continuity.randomBaseline(rows), r.baselineU(), 0);
        assertEquals(r.baselineV(), r.v1Mean(), 3 * seV, "v1 mean vs baseline");
        assertEquals(r.baselineU(), r.u1Mean(), 3 * seU, "u1 mean vs baseline");
        // a single leading vector is at the baseline; the top-4 subspace overlaps like k/d
        List<SvdResult> res = Continuity.decomposeAll(gaussianStack(61, rows, cols, 12), Svds.exact());
        assertEquals(4.0 / cols, Continuity.mean(Continuity.subspaceOverlap(res, Side.V, 4)), 0.05);
    }

    @Test void plantedDirectionGivesNearlyOne() {
        Continuity.ContinuityReport r = Continuity.report(plantedStack(6, 48, 32, 60, 21), Svds.exact());
        assertTrue(r.v1Mean() > 0.97, "v1 " + r.v1Mean());
        assertTrue(r.u1Mean() > 0.97, "u1 " + r.u1Mean());
        assertTrue(r.v1Ratio() > 5);
    }

    private static SvdResult flipped(SvdResult r, SplittableRandom rng) {
        double[][] u = new double[r.k()][], v = new double[r.k()][];
        for (int i = 0; i < r.k(); i++) {
            double sg = rng.nextBoolean() ? -1 : 1;
            u[i] = r.u()[i].clone(); v[i] = r.v()[i].clone();
            for (int j = 0; j < u[i].length; j++) u[i][j] *= sg;
            for (int j = 0; j < v[i].length; j++) v[i][j] *= sg;
        }
        return new SvdResult(r.rows(), r.cols(), r.s(), u, v, r.frobeniusSq(), r.complete());
    }

    @Test void invariantUnderSignFlips() {
        List<SvdResult> a = Continuity.decomposeAll(plantedStack(5, 20, 16, 10, 31), Svds.exact());
        SplittableRandom rng = new SplittableRandom(1);
        List<SvdResult> b = a.stream().map(r -> flipped(r, rng)).toList();
        for (Side side : Side.values()) {
            assertArrayEquals(Continuity.pairs(a, side, 0), Continuity.pairs(b, side, 0), 1e-15);
            assertArrayEquals(Continuity.topK(a, side, 3), Continuity.topK(b, side, 3), 1e-15);
            assertArrayEquals(Continuity.subspaceOverlap(a, side, 3), Continuity.subspaceOverlap(b, side, 3), 1e-14);
            for (S2Variant v : S2Variant.values())
                assertArrayEquals(Continuity.s2Weighted(a, side, v), Continuity.s2Weighted(b, side, v), 1e-15);
            assertArrayEquals(new double[a.size()], Continuity.rotationDriftDegrees(a, b, side), 1e-5); // acos is steep at 1
        }
    }

    /** Q W P for fixed orthogonal Q (rows x rows) and P (cols x cols). */
    private static Matrix rotate(Matrix w, double[][] q, double[][] p) {
        int m = w.rows(), n = w.cols();
        double[] qw = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int k = 0; k < m; k++) {
                double x = q[i][k];
                for (int j = 0; j < n; j++) qw[i * n + j] += x * w.get(k, j);
            }
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int k = 0; k < n; k++) x += qw[i * n + k] * p[k][j];
                out[i * n + j] = (float) x;
            }
        return new Matrix(m, n, out);
    }

    @Test void invariantUnderOneChangeOfBasisForAllLayers() {
        List<Matrix> stack = plantedStack(6, 24, 18, 8, 41);
        SplittableRandom rng = new SplittableRandom(2);
        double[][] q = KnownSpectrum.orthogonal(24, rng), p = KnownSpectrum.orthogonal(18, rng);
        List<Matrix> turned = stack.stream().map(w -> rotate(w, q, p)).toList();
        Continuity.ContinuityReport a = Continuity.report(stack, Svds.exact()), b = Continuity.report(turned, Svds.exact());
        assertArrayEquals(a.v1Pairs(), b.v1Pairs(), 1e-4);
        assertArrayEquals(a.u1Pairs(), b.u1Pairs(), 1e-4);
        // and the values are not trivially constant: the noise makes pairs differ
        assertNotEquals(a.v1Pairs()[0], a.v1Pairs()[1], 1e-6);
    }

    @Test void identicalStacksGiveOne() {
        Matrix w = KnownSpectrum.gaussian(20, 12, new SplittableRandom(5));
        List<SvdResult> same = Continuity.decomposeAll(List.of(w, w, w), Svds.exact());
        for (Side side : Side.values()) {
            for (double c : Continuity.pairs(same, side, 0)) assertEquals(1, c, 1e-12);
            for (double c : Continuity.topK(same, side, 5)) assertEquals(1, c, 1e-9);
            for (double c : Continuity.subspaceOverlap(same, side, 5)) assertEquals(1, c, 1e-9);
            for (double c : Continuity.s2Weighted(same, side, S2Variant.LOWER_LAYER)) assertEquals(1, c, 1e-9);
            for (double c : Continuity.s2Weighted(same, side, S2Variant.BOTH_LAYERS)) assertEquals(1, c, 1e-9);
        }
    }

    @Test void s2WeightedIsAtMostOne() {
        List<SvdResult> r = Continuity.decomposeAll(gaussianStack(8, 16, 20, 6), Svds.exact());
        for (S2Variant v : S2Variant.values())
            for (double c : Continuity.s2Weighted(r, Side.V, v)) assertTrue(c >= 0 && c <= 1 + 1e-12, v + " " + c);
        double[] lower = Continuity.s2Weighted(r, Side.V, S2Variant.LOWER_LAYER);
        double[] squared = Continuity.s2Weighted(r, Side.V, S2Variant.SQUARED_COS);
        for (int l = 0; l < lower.length; l++) assertTrue(squared[l] <= lower[l]);
    }

    @Test void effectiveRankOfIdentityAndRankOne() {
        float[] id = new float[30 * 30];
        for (int i = 0; i < 30; i++) id[i * 30 + i] = 1;
        assertEquals(30, Continuity.effectiveRank(Svds.exact().decompose(new Matrix(30, 30, id))), 1e-9);
        KnownSpectrum r1 = new KnownSpectrum(20, 10, new double[] {3}, 7);
        assertEquals(1, Continuity.effectiveRank(Svds.exact().decompose(r1.asFloat())), 1e-6);
        assertEquals(0, Continuity.effectiveRank(Svds.exact().decompose(Matrix.zeros(4, 4))));
        SvdResult top = Svds.topK(1).decompose(KnownSpectrum.gaussian(200, 100, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> Continuity.effectiveRank(top));
    }

    @Test void signAlignedTrajectoryHasNonNegativeSteps() {
        List<SvdResult> r = Continuity.decomposeAll(plantedStack(6, 12, 10, 6, 51), Svds.exact());
        SplittableRandom rng = new SplittableRandom(9);
        List<SvdResult> f = r.stream().map(x -> flipped(x, rng)).toList();
        double[][] t = Continuity.signAlignedTrajectory(f, Side.V);
        assertEquals(6, t.length);
        for (int l = 1; l < t.length; l++) {
            assertTrue(KnownSpectrum.dot(t[l], t[l - 1]) >= 0);
            assertEquals(Math.abs(KnownSpectrum.dot(t[l], f.get(l).v()[0])), 1, 1e-12);
        }
    }

    @Test void rotationDriftDegrees() {
        double[][] e = {{1, 0}, {0, 1}};
        SvdResult a = new SvdResult(2, 2, new double[] {2, 1}, e, e, 5, true);
        SvdResult b = new SvdResult(2, 2, new double[] {2, 1}, new double[][] {{0, 1}, {1, 0}}, new double[][] {{0, 1}, {1, 0}}, 5, true);
        double h = Math.sqrt(0.5);
        SvdResult c = new SvdResult(2, 2, new double[] {2, 1}, new double[][] {{h, -h}, {h, h}}, new double[][] {{h, -h}, {h, h}}, 5, true);
        assertArrayEquals(new double[] {0, 90, 45}, Continuity.rotationDriftDegrees(List.of(a, b, c), List.of(a, a, a), Side.V), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Continuity.rotationDriftDegrees(List.of(a), List.of(a, b), Side.V));
    }

    @Test void flattenedCosine() {
        Matrix w = KnownSpectrum.gaussian(5, 4, new SplittableRandom(1));
        float[] neg = w.data().clone();
        for (int i = 0; i < neg.length; i++) neg[i] *= -2;
        float[] e1 = new float[20], e2 = new float[20];
        e1[0] = 1; e2[1] = 3;
        double[] c = Continuity.flattenedAbsCos(List.of(w, new Matrix(5, 4, neg), new Matrix(5, 4, e1), new Matrix(5, 4, e2), Matrix.zeros(5, 4)));
        assertEquals(1, c[0], 1e-12);
        assertEquals(0, c[2], 0);
        assertEquals(0, c[3], 0);
        assertThrows(IllegalArgumentException.class, () -> Continuity.flattenedAbsCos(List.of(w, Matrix.zeros(4, 5))));
    }

    @Test void gradientHelpers() {
        List<Matrix> coherent = plantedStack(5, 16, 12, 40, 61);
        List<Matrix> random = gaussianStack(5, 16, 12, 62);
        double[] g = Continuity.gradientContinuity(coherent, Svds.exact(), Side.V);
        assertEquals(4, g.length);
        for (double x : g) assertTrue(x > 0.95);
        List<SvdResult> gc = Continuity.decomposeAll(coherent, Svds.exact());
        List<SvdResult> w = Continuity.decomposeAll(random, Svds.exact());
        double gap = Continuity.cumulativeGradientGap(gc, w, Side.V);
        assertEquals(Continuity.mean(Continuity.pairs(gc, Side.V, 0)) - Continuity.mean(Continuity.pairs(w, Side.V, 0)), gap, 1e-15);
        assertTrue(gap > 0.5);
        assertEquals(0, Continuity.cumulativeGradientGap(gc, gc, Side.U), 0);
    }

    @Test void alignmentWithAFixedDirection() {
        double h = Math.sqrt(0.5);
        SvdResult a = new SvdResult(2, 2, new double[] {1}, new double[][] {{1, 0}}, new double[][] {{h, h}}, 1, false);
        assertArrayEquals(new double[] {h}, Continuity.alignmentWith(List.of(a), Side.V, new double[] {3, 0}), 1e-15);
        assertArrayEquals(new double[] {1}, Continuity.alignmentWith(List.of(a), Side.V, new double[] {-2, -2}), 1e-15);
        assertArrayEquals(new double[] {0}, Continuity.alignmentWith(List.of(a), Side.U, new double[] {0, 5}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Continuity.alignmentWith(List.of(a), Side.V, new double[3]));
    }

    @Test void badStacksAreRejectedClearly() {
        List<SvdResult> r = Continuity.decomposeAll(List.of(Matrix.zeros(3, 4), Matrix.zeros(3, 5)), Svds.exact());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Continuity.pairs(r, Side.V, 0));
        assertTrue(e.getMessage().contains("layer 1 is 3x5"), e.getMessage());
        Continuity.pairs(r, Side.U, 0); // same output dimension: fine
        assertThrows(IllegalArgumentException.class, () -> Continuity.pairs(r.subList(0, 1), Side.V, 0));
        assertThrows(IllegalArgumentException.class, () -> Continuity.pairs(r, Side.U, 3));
        assertTrue(Double.isNaN(Continuity.mean(new double[0])));
    }
}
