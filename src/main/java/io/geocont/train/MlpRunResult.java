package io.geocont.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The content of a run's result.json. {@code finalEpoch} is the last record (JSON "final"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MlpRunResult(
        @JsonProperty("run_id") String runId,
        @JsonProperty("variant") String variant,
        @JsonProperty("config") Map<String, Object> config,
        @JsonProperty("epochs") List<EpochMetrics> epochs,
        @JsonProperty("final") EpochMetrics finalEpoch,
        @JsonProperty("wall_seconds") double wallSeconds) {

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
