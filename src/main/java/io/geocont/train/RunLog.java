package io.geocont.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one run-log schema of geocont's training loops: {@code log.jsonl}, one JSON object per
 * line, each starting with {@code "type"} (what the line is: "epoch" for an MLP epoch record,
 * "train" for a transformer training step, "eval" for a transformer evaluation) and
 * {@code "step"} (optimizer steps done when it was written), then the record's own fields.
 * NaN (an undefined metric) is written as null.
 */
public final class RunLog {
    public static final String FILE = "log.jsonl";
    private static final ObjectMapper JSON = AtomicFiles.json().copy().disable(SerializationFeature.INDENT_OUTPUT);

    private RunLog() { }

    /** One log line: type and step first, then the fields of {@code body} (a record or a map). */
    public static ObjectNode line(String type, long step, Object body) {
        if (type == null || type.isBlank()) throw new IllegalArgumentException("a log line needs a type");
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("step", step);
        ObjectNode fields = JSON.valueToTree(body);
        fields.remove("type");
        fields.remove("step");
        n.setAll(fields);
        return n;
    }

    /** Replaces the log with {@code lines} (atomically: a killed run keeps the previous log). */
    public static void rewrite(Path file, Collection<ObjectNode> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode l : lines) sb.append(JSON.writeValueAsString(l)).append('\n');
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Appends one line. */
    public static void append(Path file, ObjectNode line) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every line of a log, in order. */
    public static List<ObjectNode> read(Path file) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        int n = 0;
        for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (s.isBlank()) continue;
            try {
                out.add((ObjectNode) JSON.readTree(s));
            } catch (IOException | ClassCastException e) {
                throw new IOException(file + ": line " + n + " is not a JSON object: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
