package io.geocont.linalg.svd;

import io.geocont.linalg.SvdNotConvergedException;
import io.geocont.linalg.TopKOptions;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;

import org.junit.jupiter.api.Test;

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
