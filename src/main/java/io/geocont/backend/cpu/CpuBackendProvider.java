package io.geocont.backend.cpu;

import io.geocont.backend.Backend;
import io.geocont.backend.BackendProvider;
import io.geocont.backend.BackendStatus;

import java.util.Map;

/** The pure-Java backend: always available, lowest rank (any GPU backend wins under "auto"). */
public final class CpuBackendProvider implements BackendProvider {
    @Override public String name() { return "cpu"; }

    @Override public int rank() { return 0; }

    @Override public BackendStatus probe() {
        int threads = Runtime.getRuntime().availableProcessors();
        return BackendStatus.ok("cpu", "pure Java, " + threads + " threads", Map.of("threads", threads));
    }

    @Override public Backend create() { return new CpuBackend(); }
}
