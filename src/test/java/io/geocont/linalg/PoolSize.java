package io.geocont.linalg;

/** Tests: run a body with geocont's pool at a given size, then put the previous size back. */
public final class PoolSize {
    private PoolSize() { }

    public static void with(int threads, Runnable body) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            body.run();
        } finally {
            Parallel.setThreads(before);
        }
    }
}
