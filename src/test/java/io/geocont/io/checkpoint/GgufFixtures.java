package io.geocont.io.checkpoint;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The GGUF fixtures written by gguf-py (src/test/resources/gguf/make_fixtures.py), for tests in any package. */
public final class GgufFixtures {
    private GgufFixtures() { }

    /** {@code name} relative to the gguf/ resource folder, e.g. "llama-tiny-f16.gguf". */
    public static Path path(String name) {
        URL u = GgufFixtures.class.getResource("/gguf/" + name);
        if (u == null) throw new IllegalStateException("missing test resource gguf/" + name + " (run make_fixtures.py)");
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
