package io.geocont.cli;

import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import picocli.CommandLine.Option;

/** The {@code --backend cpu|cuda|auto} option every command shares (a picocli mixin). */
public final class BackendOption {
    @Option(names = "--backend", defaultValue = "auto", paramLabel = "cpu|cuda|auto",
            description = "Compute backend (default: ${DEFAULT-VALUE}; auto picks CUDA when usable, else the CPU, and says why once).")
    public String backend = "auto";

    /** Opens the chosen backend; fallbacks are explained on stderr. */
    public Backend open() {
        return Backends.open(backend, System.err);
    }
}
