package io.geocont.backend.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SplitPayoffTest {
    /** Runs {@code calls} products of one size whose split / whole times are given; returns how many were split. */
    private static int splits(SplitPayoff p, long fmas, int calls, long splitNanos, long wholeNanos) {
        int n = 0;
        for (int i = 0; i < calls; i++) {
            boolean s = p.split(fmas);
            if (s) n++;
            p.record(fmas, s, s ? splitNanos : wholeNanos);
        }
        return n;
    }

    @Test void followsTheFasterWayAndProbesTheOtherAsTheLoadChanges() {
        SplitPayoff p = new SplitPayoff();
        long fmas = 1L << 21;
        // a quiet machine: splitting halves the time -> nearly every call split, the rest are probes
        int quiet = splits(p, fmas, 320, 10_000, 20_000);
        assertTrue(quiet >= 320 - 320 / SplitPayoff.PROBE - 2, "quiet: split " + quiet + " of 320");
        // other jobs take the cores: split is 3x slower than whole; after a few probes it stops splitting
        splits(p, fmas, 8 * SplitPayoff.PROBE, 60_000, 20_000);
        int loaded = splits(p, fmas, 320, 60_000, 20_000);
        assertTrue(loaded <= 320 / SplitPayoff.PROBE + 1, "loaded: split " + loaded + " of 320");
        // quiet again: the probes notice and it splits again
        splits(p, fmas, 8 * SplitPayoff.PROBE, 10_000, 20_000);
        assertTrue(splits(p, fmas, 320, 10_000, 20_000) >= 300, "quiet again");
        // another size class has its own history: measured both ways before choosing
        assertTrue(p.split(1L << 25));
        p.record(1L << 25, true, 1);
        assertFalse(p.split(1L << 25));
    }
}
