package io.geocont.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The content of a run's result.json. {@code finalEpoch} is the last record (JSON "final"). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public record MlpRunResult(
        @JsonProperty("run_id") String runId,
        @JsonProperty("variant") String variant,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("epochs") List<EpochMetrics> epochs,
        @JsonProperty("final") EpochMetrics finalEpoch,
        @JsonProperty("wall_seconds") double wallSeconds) {

    /** Chance accuracy for the run's classes (0.1 for digits). */
    public double chanceAccuracy() {
        Object c = config == null ? null : config.get("classes");
        return 1.0 / (c instanceof Number n ? n.intValue() : 10);
    }

    /**
     * Whether the net learned at all [O]: final test accuracy at least twice chance. A variant that
     * did not learn makes "no continuity" trivially true, so reports must say so beside it.
     */
    public boolean learned() {
        return finalEpoch != null && finalEpoch.testAcc() >= 2 * chanceAccuracy();
    }

    public static MlpRunResult read(Path file) throws IOException {
        try {
            return AtomicFiles.json().readValue(file.toFile(), MlpRunResult.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a readable MLP result.json: " + e.getMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeJson(file, this);
    }
}
