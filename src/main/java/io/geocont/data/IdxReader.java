package io.geocont.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/): big-endian header, magic
 * 0x00000803 for unsigned-byte images [n, rows, cols], 0x00000801 for unsigned-byte labels [n].
 * Gzip is detected from the content (0x1f 0x8b), not the file name. Every problem is an
 * {@link IdxFormatException} naming the source and the byte offset (in the decompressed stream).
 */
public final class IdxReader {
    /** Images: {@code pixels} holds n * rows * cols unsigned bytes, row-major per image. */
    public record Images(int n, int rows, int cols, byte[] pixels) {
        public int dim() { return rows * cols; }
    }

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    /** Refuse absurd headers before allocating (a corrupt count must not become an OutOfMemoryError). */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader() { }

    public static Images readImages(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        }
    }

    /** Reads images from a stream (gzip or not); {@code name} is used in error messages. */
    public static Images readImages(InputStream raw, String name) throws IOException {
        Cursor c = new Cursor(maybeGunzip(raw, name), name);
        c.expectMagic(IMAGES_MAGIC, "IDX3 unsigned-byte images");
        int n = c.positiveInt("image count");
        int rows = c.positiveInt("row count");
        int cols = c.positiveInt("column count");
        long bytes = (long) n * rows * cols;
        if (bytes > MAX_BYTES)
            throw new IdxFormatException(name + ": header says " + n + " images of " + rows + "x" + cols
                    + " (" + bytes + " bytes), more than this reader supports");
        byte[] pixels = c.bytes((int) bytes, n + " images of " + rows + "x" + cols);
        c.expectEnd();
        return new Images(n, rows, cols, pixels);
    }

    /** Reads labels from a stream (gzip or not); {@code name} is used in error messages. */
    public static byte[] readLabels(InputStream raw, String name) throws IOException {
        Cursor c = new Cursor(maybeGunzip(raw, name), name);
        c.expectMagic(LABELS_MAGIC, "IDX1 unsigned-byte labels");
        int n = c.positiveInt("label count");
        byte[] labels = c.bytes(n, n + " labels");
        c.expectEnd();
        return labels;
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "IDX file not found");
        return Files.newInputStream(file);
    }

    private static InputStream maybeGunzip(InputStream raw, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            } catch (IOException e) {
                throw new IdxFormatException(name + ": starts like gzip but is not readable gzip: " + e.getMessage());
            }
        }
        return in;
    }

    /** A position-tracking reader so every message can say where it stopped. */
    private static final class Cursor {
        private final InputStream in;
        private final String name;
        private long offset;

        Cursor(InputStream in, String name) { this.in = in; this.name = name; }

        void expectMagic(int magic, String what) throws IOException {
            int got = int32("magic number");
            if (got != magic)
                throw new IdxFormatException(String.format("%s: offset 0: magic number 0x%08x, expected 0x%08x (%s)",
                        name, got, magic, what));
        }

        int positiveInt(String what) throws IOException {
            long at = offset;
            int v = int32(what);
            if (v <= 0) throw new IdxFormatException(name + ": offset " + at + ": " + what + " is " + v + ", expected > 0");
            return v;
        }

        int int32(String what) throws IOException {
            byte[] b = bytes(4, what);
            return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }

        byte[] bytes(int count, String what) throws IOException {
            byte[] out = new byte[count];
            int got = 0;
            try {
                while (got < count) {
                    int r = in.read(out, got, count - got);
                    if (r < 0) break;
                    got += r;
                }
            } catch (EOFException e) {
                // a gzip stream cut short: reported below as truncated
            } catch (IOException e) {
                throw new IdxFormatException(name + ": offset " + (offset + got) + ": cannot read " + what + ": " + e.getMessage());
            }
            if (got < count)
                throw new IdxFormatException(name + ": truncated at offset " + (offset + got) + ": expected " + count
                        + " bytes of " + what + " from offset " + offset + ", file ends after " + got);
            offset += count;
            return out;
        }

        void expectEnd() throws IOException {
            int extra;
            try {
                extra = in.read();
            } catch (IOException e) {
                throw new IdxFormatException(name + ": offset " + offset + ": unreadable data after the payload: " + e.getMessage());
            }
            if (extra >= 0)
                throw new IdxFormatException(name + ": offset " + offset + ": unexpected data after the "
                        + "payload the header announced (the header's counts do not match the file size)");
        }
    }
}
