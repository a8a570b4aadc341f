package io.geocont.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocont.io.AtomicFiles;
import io.geocont.linalg.PoolSize;
import io.geocont.util.SplitMix64;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * measureAsync gives measure's records bit for bit, in order, from copies taken at the call: the
 * loop below overwrites the weight arrays it handed over with NaN right after each call (and goes
 * on from a copy), and its next steps change the gradient sums, while the background thread is
 * still decomposing.
 */
class ContinuityMonitorAsyncTest {
    static final int L = 5, R = 80, C = 72;   // 5,760 entries: the leading pairs take the Lanczos path

    /** A training-like loop: in-place SGD steps on random gradients, a measurement every 4 steps. */
    private static List<ContinuityRecord> run(ContinuityMonitor m, boolean async) {
        SplitMix64 rng = new SplitMix64(11);
        float[][] w = new float[L][R * C], g = new float[L][R * C];
        for (float[] a : w) for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextGaussian() / Math.sqrt(C));
        List<CompletableFuture<ContinuityRecord>> out = new ArrayList<>();
        for (int epoch = 0; epoch <= 5; epoch++) {
            if (epoch > 0)
                for (int step = 0; step < 4; step++) {
                    for (float[] a : g) for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
                    m.step(ContinuityMonitor.layers(R, C, g));
                    for (int l = 0; l < L; l++) for (int i = 0; i < w[l].length; i++) w[l][i] -= 0.01f * (l + 1) * g[l][i];
                }
            if (async) {
                float[][] next = new float[L][];
                for (int l = 0; l < L; l++) next[l] = w[l].clone();
                out.add(m.measureAsync(ContinuityMonitor.layers(R, C, w)));
                for (float[] a : w) Arrays.fill(a, Float.NaN);   // the arrays just handed over change at once
                w = next;
            } else out.add(CompletableFuture.completedFuture(m.measure(ContinuityMonitor.layers(R, C, w))));
        }
        List<ContinuityRecord> records = new ArrayList<>();
        for (CompletableFuture<ContinuityRecord> f : out) records.add(f.join());
        return records;
    }

    /** The record as JSON without its two timings (the only fields that may differ). */
    private static String comparable(ContinuityRecord r) {
        ObjectNode n = AtomicFiles.json().valueToTree(r);
        n.remove("measure_seconds");
        n.remove("step_seconds");
        return n.toString();
    }

    private static String comparableState(ContinuityMonitor m) {
        ObjectNode n = AtomicFiles.json().valueToTree(m.state());
        n.remove("step_seconds");
        return n.toString();
    }

    private static float[][] gaussian(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        float[][] w = new float[L][R * C];
        for (float[] a : w) for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
        return w;
    }

    @Test void asyncRecordsAreTheSyncRecordsBitForBit() {
        PoolSize.with(2, () -> {   // the background path needs a second thread allowed
            ContinuityMonitor sync = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
            ContinuityMonitor async = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
            List<ContinuityRecord> expected = run(sync, false), got = run(async, true);
            assertEquals(6, got.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(i, got.get(i).index(), "records come in call order");
                assertEquals(comparable(expected.get(i)), comparable(got.get(i)), "record " + i);
            }
            assertNotNull(got.get(5).driftMeanDeg(), "the drift reference came from the background too");
            assertEquals(comparableState(sync), comparableState(async), "the state a checkpoint saves");
            Map<String, float[]> a = sync.arrays(), b = async.arrays();
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), k);
        });
    }

    @Test void aFailedMeasurementFailsItsFutureAndKeepsItsIndex() {
        PoolSize.with(2, () -> {
            ContinuityMonitor m = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
            float[][] w = gaussian(3);
            assertEquals(0, m.measureAsync(ContinuityMonitor.layers(R, C, w)).join().index());
            float[][] bad = gaussian(3);
            bad[2][7] = Float.NaN;
            CompletableFuture<ContinuityRecord> f = m.measureAsync(ContinuityMonitor.layers(R, C, bad));
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("non-finite"), e.getCause().getMessage());
            assertEquals(2, m.measureAsync(ContinuityMonitor.layers(R, C, w)).join().index(), "the failed one kept index 1");
            assertThrows(IllegalArgumentException.class, () -> m.measureAsync(ContinuityMonitor.layers(C, R, w)),
                    "a wrong shape is refused at the call, not in the background");
        });
    }

    @Test void withOneThreadAllowedItMeasuresOnTheCallingThread() {
        PoolSize.with(1, () -> {
            ContinuityMonitor m = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
            CompletableFuture<ContinuityRecord> f = m.measureAsync(ContinuityMonitor.layers(R, C, gaussian(4)));
            assertTrue(f.isDone(), "done before the call returned");
            assertEquals(0, f.join().index());
        });
    }
}
