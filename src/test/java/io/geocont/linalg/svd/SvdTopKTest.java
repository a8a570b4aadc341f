package io.geocont.linalg.svd;

import io.geocont.linalg.SvdNotConvergedException;
import io.geocont.linalg.TopKOptions;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SvdTopKTest {

    private static void agreesWithExact(Matrix a, int k) {
        SvdResult top = Svds.topK(k).decompose(a);
        SvdResult ex = Svds.exact().decompose(a);
        assertEquals(k, top.k());
        assertFalse(top.complete());
        assertEquals(a.frobeniusSq(), top.frobeniusSq(), 0, "frobeniusSq is of the whole matrix");
        for (int i = 0; i < k; i++) {
            assertEquals(ex.s()[i], top.s()[i], 1e-5 * ex.s()[0], "s" + i);
            double cu = Math.abs(KnownSpectrum.dot(top.u()[i], ex.u()[i]));
            double cv = Math.abs(KnownSpectrum.dot(top.v()[i], ex.v()[i]));
            assertTrue(cu >= 1 - 1e-6, "u" + i + " |cos| " + cu);
            assertTrue(cv >= 1 - 1e-6, "v" + i + " |cos| " + cv);
            assertEquals(1, KnownSpectrum.dot(top.u()[i], top.u()[i]), 1e-9);
            assertEquals(1, KnownSpectrum.dot(top.v()[i], top.v()[i]), 1e-9);
        }
    }

    @Test void gappedSpectrumTallWideSquare() {
        agreesWithExact(new KnownSpectrum(300, 200, KnownSpectrum.geometric(200, 5, 0.85), 1).asFloat(), 3);
        agreesWithExact(new KnownSpectrum(180, 260, KnownSpectrum.geometric(180, 5, 0.85), 2).asFloat(), 1);
        agreesWithExact(new KnownSpectrum(150, 150, KnownSpectrum.geometric(150, 1, 0.9), 3).asFloat(), 4);
    }

    @Test void plantedDirectionInNoise() {
        // the analysis use case: s u v^T + Gaussian noise (clear gap at the top only)
        SplittableRandom rng = new SplittableRandom(5);
        Matrix a = KnownSpectrum.gaussian(200, 300, rng);
        KnownSpectrum planted = new KnownSpectrum(200, 300, new double[] {200}, 6);
        for (int i = 0; i < a.data().length; i++) a.data()[i] += (float) planted.a[i];
        agreesWithExact(a, 1);
    }

    @Test void gapFreeGaussianMatrixConvergesInFewPasses() {
        // s_1 .. s_10 of a Gaussian matrix are close together: plain power iteration needs
        // hundreds of passes here, the Krylov basis a few dozen
        Matrix a = KnownSpectrum.gaussian(400, 300, new SplittableRandom(12));
        SvdResult top = Svds.topK(1, TopKOptions.DEFAULTS.withMaxIterations(40)).decompose(a);
        SvdResult ex = Svds.exact().decompose(a);
        assertEquals(ex.s()[0], top.s()[0], 1e-5 * ex.s()[0]);
        assertTrue(Math.abs(KnownSpectrum.dot(top.v()[0], ex.v()[0])) > 1 - 1e-4);
    }

    /** Counts the passes over a matrix by the number of vectors each one carried. */
    private static final class CountingPasses implements GramOperator {
        final Matrix a;
        final List<Integer> widths = new ArrayList<>();
        CountingPasses(Matrix a) { this.a = a; }
        @Override public int rows() { return a.rows(); }
        @Override public int cols() { return a.cols(); }
        @Override public void applyGram(float[][] x, double[][] y, double[][] z) { widths.add(x.length); a.applyGram(x, y, z); }
        @Override public double frobeniusSq() { return a.frobeniusSq(); }
        @Override public String describe() { return "counted " + a.describe(); }
    }

    @Test void oneVectorPerPassOnceTheLeadingPairIsResolved() {
        // two vectors per pass only until s_1 and s_2 are told apart, then one: the cheaper
        // passes must not cost the answer (same contract as agreesWithExact)
        SplittableRandom rng = new SplittableRandom(21);
        Matrix a = KnownSpectrum.gaussian(600, 500, rng);
        KnownSpectrum planted = new KnownSpectrum(600, 500, new double[] {60, 45}, 22);
        for (int i = 0; i < a.data().length; i++) a.data()[i] += (float) planted.a[i];
        CountingPasses counted = new CountingPasses(a);
        SvdResult top = Svds.topK(1).decompose(counted);
        SvdResult ex = Svds.exact().decompose(a);
        assertEquals(2, counted.widths.get(0), "the first pass carries two vectors (a doubled s_1 would show)");
        assertTrue(counted.widths.contains(1), "passes after the pair is resolved carry one vector: " + counted.widths);
        int first = counted.widths.indexOf(1);
        assertTrue(counted.widths.subList(first, counted.widths.size()).stream().allMatch(w -> w == 1), "no return to two: " + counted.widths);
        assertEquals(ex.s()[0], top.s()[0], 1e-5 * ex.s()[0]);
        assertTrue(Math.abs(KnownSpectrum.dot(top.v()[0], ex.v()[0])) >= 1 - 1e-6);
        assertTrue(Math.abs(KnownSpectrum.dot(top.u()[0], ex.u()[0])) >= 1 - 1e-6);
        assertNull(top.leadingPairUndefined(SvdResult.DEFAULT_TIE_TOLERANCE));
    }

    @Test void repeatedBlocksKeepTwoVectorsAndAreFlaggedTied() {
        // diag(B, B) doubles every singular value of B (two experts or heads initialized alike):
        // a one-vector Krylov space would see one copy and call s_1 defined
        Matrix b = KnownSpectrum.gaussian(150, 100, new SplittableRandom(23));
        Matrix a = Matrix.zeros(300, 200);
        for (int i = 0; i < 150; i++)
            for (int j = 0; j < 100; j++) { a.set(i, j, b.get(i, j)); a.set(150 + i, 100 + j, b.get(i, j)); }
        CountingPasses counted = new CountingPasses(a);
        SvdResult top = Svds.topK(1).decompose(counted);
        String why = top.leadingPairUndefined(SvdResult.DEFAULT_TIE_TOLERANCE);
        assertNotNull(why, "s1 = s2 in diag(B, B) must be flagged, s = " + top.s()[0] + ", next " + top.s2());
        assertTrue(counted.widths.stream().allMatch(w -> w == 2), "a pair that never separates keeps two vectors: " + counted.widths);
    }

    @Test void zeroAndRankDeficientGiveNoNaN() {
        SvdResult z = Svds.topK(2).decompose(Matrix.zeros(200, 120));
        for (int i = 0; i < 2; i++) {
            assertEquals(0, z.s()[i]);
            assertEquals(1, KnownSpectrum.dot(z.u()[i], z.u()[i]), 1e-9);
            assertEquals(1, KnownSpectrum.dot(z.v()[i], z.v()[i]), 1e-9);
        }
        double[] s = new double[120];
        s[0] = 3; s[1] = 1; // rank 2, ask for 4
        SvdResult r = Svds.topK(4).decompose(new KnownSpectrum(200, 120, s, 9).asFloat());
        assertEquals(3, r.s()[0], 1e-5);
        assertEquals(1, r.s()[1], 1e-5);
        for (int i = 0; i < 4; i++) {
            assertTrue(Double.isFinite(r.s()[i]));
            for (double x : r.v()[i]) assertTrue(Double.isFinite(x));
            for (double x : r.u()[i]) assertTrue(Double.isFinite(x));
        }
    }

    @Test void smallMatricesAndLargeKFallBackToExact() {
        Matrix a = KnownSpectrum.gaussian(20, 10, new SplittableRandom(3));
        SvdResult t = Svds.topK(50).decompose(a);
        assertEquals(10, t.k());
        assertTrue(t.complete());
    }

    @Test void iterationLimitGivesClearError() {
        // Gaussian matrix: s_1 and s_{k+p+1} close, one step cannot converge
        Matrix a = KnownSpectrum.gaussian(300, 300, new SplittableRandom(4));
        SvdNotConvergedException e = assertThrows(SvdNotConvergedException.class,
                () -> Svds.topK(2, TopKOptions.DEFAULTS.withMaxIterations(1)).decompose(a));
        assertTrue(e.getMessage().contains("did not converge in 1 iterations"), e.getMessage());
        assertTrue(e.getMessage().contains("300x300"), e.getMessage());
        assertNotNull(e.estimate());
        assertThrows(IllegalArgumentException.class, () -> Svds.topK(0));
        assertThrows(IllegalArgumentException.class, () -> new TopKOptions(-1, 1e-5, 10, 1, 1e-4, TopKOptions.OnLimit.THROW));
    }

    @Test void sameSeedSameAnswer() {
        Matrix a = new KnownSpectrum(256, 200, KnownSpectrum.geometric(200, 2, 0.9), 10).asFloat();
        SvdResult x = Svds.topK(2).decompose(a), y = Svds.topK(2).decompose(a);
        assertArrayEquals(x.s(), y.s());
        assertArrayEquals(x.v()[1], y.v()[1]);
    }
}
