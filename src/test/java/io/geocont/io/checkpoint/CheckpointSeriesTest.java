package io.geocont.io.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointSeriesTest {
    @TempDir Path dir;

    @Test void stepNumbersThatDoNotFitALongAreNotSteps() {
        assertEquals(12, CheckpointSeries.stepOf(Path.of("checkpoint-12")).getAsLong());
        assertTrue(CheckpointSeries.stepOf(Path.of("step-99999999999999999999")).isEmpty(), "no NumberFormatException");
        assertTrue(CheckpointSeries.stepOf(Path.of("final")).isEmpty());
    }

    @Test void aFolderHasWeightsWhateverTheFormat() throws Exception {
        assertFalse(Checkpoint.hasWeights(dir));
        Files.writeString(dir.resolve("pytorch_model.bin.index.json"), "{}");
        assertTrue(Checkpoint.hasWeights(dir));
        Path two = Files.createDirectory(dir.resolve("two"));
        Files.writeString(two.resolve("a.safetensors"), "");
        Files.writeString(two.resolve("b.safetensors"), "");
        assertTrue(Checkpoint.hasWeights(two), "several files are still weights of its own");
    }
}
