package io.geocont.backend;

/**
 * Registers a backend with {@link Backends} through {@link java.util.ServiceLoader}
 * (META-INF/services/io.geocont.backend.BackendProvider). A provider must never throw from a
 * static initializer: {@link #probe()} reports what is missing instead.
 */
public interface BackendProvider {
    /** "cpu", "cuda", ... */
    String name();

    /** Higher ranks win under "auto". */
    int rank();

    /** Whether the backend can run here and, if not, exactly why. Cheap and side-effect free. */
    BackendStatus probe();

    /**
     * What "auto" asks before {@link #probe}: a cheaper check that may rule the backend out
     * sooner (say, no driver at all) and otherwise defers to probe(). It never reports available
     * where probe() would not. {@code geocont doctor} calls probe() for the full report.
     */
    default BackendStatus quickProbe() { return probe(); }

    /** Creates the backend; throws {@link BackendUnavailableException} with the reason if it cannot. */
    Backend create();
}
