package io.geocont.io.checkpoint;

import org.junit.jupiter.api.Test;

/** A short fuzz run in the normal suite; TorchFuzzLongTest runs 100,000 inputs per target. */
class TorchFuzzTest {
    private static final int CASES = 2000;

    @Test void mutatedPicklesOnlyReadOrThrowCheckpointException() {
        System.out.println(TorchFuzz.pickles(CASES, 20260601L));
    }

    @Test void mutatedArchivesOnlyReadOrThrowCheckpointException() {
        System.out.println(TorchFuzz.archives(CASES, 20260602L));
    }
}
