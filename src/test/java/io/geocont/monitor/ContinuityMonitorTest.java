package io.geocont.monitor;

import io.geocont.analysis.Continuity;
import io.geocont.analysis.Continuity.Side;
import io.geocont.io.AtomicFiles;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.svd.Svds;
import io.geocont.util.SplitMix64;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The monitor gives what the public Continuity functions give, over a loop's lifetime. */
class ContinuityMonitorTest {
    static final int L = 4, R = 12, C = 10;

    static List<Matrix> random(SplitMix64 rng, double scale) {
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            float[] a = new float[R * C];
            for (int i = 0; i < a.length; i++) a[i] = (float) (scale * rng.nextGaussian());
            out.add(new Matrix(R, C, a));
        }
        return out;
    }

    static List<Matrix> plus(List<Matrix> w, List<Matrix> g, float lr) {
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < w.size(); l++) {
            float[] a = w.get(l).data().clone(), d = g.get(l).data();
            for (int i = 0; i < a.length; i++) a[i] -= lr * d[i];
            out.add(new Matrix(R, C, a));
        }
        return out;
    }

    @Test void recordsAreThePublicContinuityFunctions() {
        SplitMix64 rng = new SplitMix64(4);
        ContinuityMonitor m = new ContinuityMonitor(new ContinuityMonitor.Options(3, Svds.Need.ALL));
        List<Matrix> w0 = random(rng, 1);
        ContinuityRecord r0 = m.measure(w0);
        assertEquals(0, r0.index());
        assertNull(r0.gradCohV1Mean(), "no gradients yet");
        assertNull(r0.gcumV1Mean());
        assertNull(r0.driftMeanDeg(), "drift has no reference before the second measurement");
        assertEquals(0.0, r0.updateRatioMean(), 0.0);

        List<Matrix> w = w0, gSum = null;
        List<List<Matrix>> grads = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Matrix> g = random(rng, 0.5);
            grads.add(g);
            m.step(g);
            w = plus(w, g, 0.1f);
        }
        ContinuityRecord r1 = m.measure(w);
        List<SvdResult> svd = Continuity.decomposeAll(w, Svds.exact());
        assertArrayEquals(Continuity.pairs(svd, Side.V, 0), r1.v1Pairs(), 1e-12);
        assertArrayEquals(Continuity.pairs(svd, Side.U, 0), r1.u1Pairs(), 1e-12);
        assertEquals(Continuity.mean(Continuity.topK(svd, Side.V, 3)), r1.topkV1Mean(), 1e-12);
        assertEquals(Continuity.mean(Continuity.subspaceOverlap(svd, Side.V, 3)), r1.overlapVMean(), 1e-12);
        assertEquals(Continuity.mean(Continuity.s2Weighted(svd, Side.U, Continuity.S2Variant.LOWER_LAYER)), r1.s2waUMean(), 1e-12);
        assertEquals(Continuity.effectiveRank(svd.get(2)), r1.erankLayers()[2], 1e-12);
        assertEquals(Continuity.randomBaseline(C), r1.baseline(), 0.0);
        assertEquals(Continuity.randomBaseline(R), r1.baselineU(), 0.0);
        // gradient coherence: the flattened cosine averaged over the 3 steps, and v1 of their sum
        double[] flat = new double[L - 1];
        for (List<Matrix> g : grads) {
            double[] c = Continuity.flattenedAbsCos(g);
            for (int p = 0; p < flat.length; p++) flat[p] += c[p] / 3;
        }
        assertArrayEquals(flat, r1.gradCohFlatPairs(), 1e-12);
        gSum = sum(grads);
        double[] gv1 = Continuity.gradientContinuity(gSum, Svds.leading(), Side.V);
        assertArrayEquals(gv1, r1.gradCohV1Pairs(), 1e-9);
        assertArrayEquals(gv1, r1.gcumV1Pairs(), 1e-9, "after one epoch the cumulative sum is the epoch's sum");
        assertEquals(r1.gcumV1Mean() - r1.v1Mean(), r1.dgw(), 1e-12);
        // acos near 1 turns the last bit of |cos| into ~1e-6 degrees
        assertArrayEquals(new double[L], r1.driftDeg(), 1e-5, "the second measurement is the drift reference");
        assertEquals(Continuity.updateRatio(w.get(1), w0.get(1), Svds.s1(w0.get(1))), r1.updateRatio()[1], 1e-12);
        assertEquals(3, r1.steps());

        // a measurement with no steps since: gradient fields of that span are null, the cumulative ones stay
        ContinuityRecord r2 = m.measure(plus(w, random(rng, 1), 0.5f));
        assertNull(r2.gradCohV1Mean());
        assertNotNull(r2.gcumV1Mean());
        assertTrue(r2.driftMeanDeg() > 0);
    }

    static List<Matrix> sum(List<List<Matrix>> steps) {
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < L; l++) {
            float[] a = new float[R * C];
            for (List<Matrix> g : steps) {
                float[] d = g.get(l).data();
                for (int i = 0; i < a.length; i++) a[i] += d[i];
            }
            out.add(new Matrix(R, C, a));
        }
        return out;
    }

    @Test void anUndefinedLeadingPairIsFlaggedAndWrittenAsNull() throws Exception {
        List<Matrix> w = random(new SplitMix64(9), 1);
        w.set(2, Matrix.zeros(R, C));
        ContinuityRecord r = new ContinuityMonitor(ContinuityMonitor.Options.defaults()).measure(w);
        assertTrue(r.anyUndefined());
        assertNull(r.undefined().get(0));
        assertNotNull(r.undefined().get(2), "the zero layer has no leading pair");
        assertTrue(Double.isNaN(r.v1Pairs()[1]) && Double.isNaN(r.v1Pairs()[2]), "both pairs touching it are undefined");
        assertFalse(Double.isNaN(r.v1Pairs()[0]));
        assertFalse(Double.isNaN(r.v1Mean()), "the mean leaves undefined pairs out");
        String json = AtomicFiles.json().writeValueAsString(r);
        assertTrue(json.replace(" ", "").replace("\n", "").contains("\"v1_pairs\":[" + r.v1Pairs()[0] + ",null,null"), json);
    }

    @Test void stateRoundTripContinuesBitwise() {
        SplitMix64 rng = new SplitMix64(5);
        ContinuityMonitor.Options o = ContinuityMonitor.Options.defaults().withTopK(4);
        ContinuityMonitor a = new ContinuityMonitor(o);
        List<Matrix> w = random(rng, 1);
        a.measure(w);
        List<Matrix> g1 = random(rng, 1), g2 = random(rng, 1), g3 = random(rng, 1);
        a.step(g1);
        a.measure(w = plus(w, g1, 0.1f));
        a.step(g2);
        // "checkpoint" mid-epoch, through JSON as a run does
        ContinuityMonitor.State s = AtomicFiles.json().convertValue(AtomicFiles.json().valueToTree(a.state()), ContinuityMonitor.State.class);
        Map<String, float[]> arrays = a.arrays();
        assertTrue(arrays.containsKey(ContinuityMonitor.G_SINCE));
        ContinuityMonitor b = ContinuityMonitor.restore(o, s, arrays);
        a.step(g3);
        b.step(g3);
        List<Matrix> w2 = plus(plus(w, g2, 0.1f), g3, 0.1f);
        ContinuityRecord ra = a.measure(w2), rb = b.measure(w2);
        assertEquals(ra.index(), rb.index());
        assertArrayEquals(ra.gradCohV1Pairs(), rb.gradCohV1Pairs(), 0.0);
        assertArrayEquals(ra.gradCohFlatPairs(), rb.gradCohFlatPairs(), 0.0);
        assertArrayEquals(ra.gcumV1Pairs(), rb.gcumV1Pairs(), 0.0);
        assertArrayEquals(ra.driftDeg(), rb.driftDeg(), 0.0);
        assertArrayEquals(ra.updateRatio(), rb.updateRatio(), 0.0);
    }

    @Test void badInputSaysWhatIsWrong() {
        ContinuityMonitor m = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
        var e = assertThrows(IllegalStateException.class, () -> m.step(random(new SplitMix64(1), 1)));
        assertTrue(e.getMessage().contains("measure the initial weights"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.measure(List.of(Matrix.zeros(3, 3))), "one layer has no pairs");
        m.measure(random(new SplitMix64(1), 1));
        List<Matrix> wrong = random(new SplitMix64(2), 1);
        wrong.set(1, Matrix.zeros(C, R));
        var e2 = assertThrows(IllegalArgumentException.class, () -> m.step(wrong));
        assertTrue(e2.getMessage().contains("layer 1 is 10x12"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> ContinuityMonitor.layers(2, 3, new float[5]));
        assertTrue(e3.getMessage().contains("needs 6"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ContinuityMonitor.Options(4, Svds.Need.TOP_K));
    }
}
