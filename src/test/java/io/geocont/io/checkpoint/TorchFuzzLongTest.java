package io.geocont.io.checkpoint;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * 100,000 mutated inputs per target; tagged "long", so only
 * {@code mvn -B -o test -Dtest='TorchFuzzLongTest' -Dgeocont.test.exclude=} runs it.
 */
@Tag("long")
class TorchFuzzLongTest {
    private static final int CASES = 100_000;

    @Test @Timeout(value = 30, unit = TimeUnit.MINUTES) void hundredThousandMutatedPickles() {
        System.out.println(TorchFuzz.pickles(CASES, 1L));
    }

    @Test @Timeout(value = 30, unit = TimeUnit.MINUTES) void hundredThousandMutatedArchives() {
        System.out.println(TorchFuzz.archives(CASES, 2L));
    }
}
