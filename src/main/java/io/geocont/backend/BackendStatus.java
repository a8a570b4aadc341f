package io.geocont.backend;

import java.util.List;
import java.util.Map;

/**
 * What a provider found when probed: available or not, one-line reason, and details for
 * {@code geocont doctor} (device name, memory, library paths tried, ...).
 */
public record BackendStatus(String name, boolean available, String reason, Map<String, Object> details) {
    public static BackendStatus ok(String name, String reason, Map<String, Object> details) {
        return new BackendStatus(name, true, reason, details);
    }
    public static BackendStatus unavailable(String name, String reason, Map<String, Object> details) {
        return new BackendStatus(name, false, reason, details);
    }
    public static BackendStatus unavailable(String name, String reason) {
        return new BackendStatus(name, false, reason, Map.of());
    }
    /** Lines tried, if the provider recorded them under "tried". */
    @SuppressWarnings("unchecked")
    public List<String> tried() {
        Object t = details.get("tried");
        return t instanceof List<?> l ? (List<String>) l : List.of();
    }
}
