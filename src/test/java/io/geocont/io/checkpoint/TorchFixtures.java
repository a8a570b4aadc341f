package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The checkpoints src/test/resources/torch/make_fixtures.py wrote with torch.save, and their known values. */
public final class TorchFixtures {
    private TorchFixtures() { }

    /** A fixture file or folder under src/test/resources/torch. */
    public static Path path(String name) {
        try {
            var url = TorchFixtures.class.getResource("/torch/" + name);
            if (url == null) throw new IllegalStateException("missing test fixture torch/" + name + " (run make_fixtures.py)");
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generator's value(rows, cols): v[i, j] = ((i * cols + j) % 17 - 8) / 4. */
    static Matrix value(int rows, int cols) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = ((i % 17) - 8) / 4f;
        return new Matrix(rows, cols, d);
    }

    /** The entries of a fixture archive, in order, with their bytes (read by the JDK's zip code, to rebuild variants). */
    static Map<String, byte[]> entries(String fixture) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(path(fixture).toFile())) {
            for (var it = z.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                try (var in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The data.pkl of a fixture archive. */
    static byte[] pickle(String fixture) {
        for (var e : entries(fixture).entrySet()) if (e.getKey().endsWith("/data.pkl")) return e.getValue();
        throw new IllegalStateException(fixture + " has no data.pkl");
    }
}
