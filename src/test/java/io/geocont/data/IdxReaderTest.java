package io.geocont.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxReaderTest {
    @TempDir Path tmp;

    static byte[] images(int n, int rows, int cols, int payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload);
        b.putInt(0x803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < payload; i++) b.put((byte) (i * 7));
        return b.array();
    }

    static byte[] labels(int n, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.putInt(0x801).putInt(n);
        for (int i = 0; i < payload; i++) b.put((byte) (i % 10));
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) { g.write(raw); }
        return bo.toByteArray();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test void readsPlainAndGzipIdentically() throws IOException {
        byte[] raw = images(3, 2, 2, 12);
        IdxReader.Images a = IdxReader.readImages(write("a", raw));
        IdxReader.Images b = IdxReader.readImages(write("b.gz", gzip(raw)));
        assertEquals(3, a.n());
        assertEquals(4, a.dim());
        assertArrayEquals(Arrays.copyOfRange(raw, 16, 28), a.pixels());
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(new byte[]{0, 1, 2, 3, 4}, IdxReader.readLabels(write("l.gz", gzip(labels(5, 5)))));
    }

    @Test void wrongMagicNamesFileAndOffset() throws IOException {
        Path p = write("labels-as-images", labels(4, 4));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("labels-as-images"), e.getMessage());
        assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test void truncatedPayloadIsReportedWithOffset() throws IOException {
        Path p = write("short", images(3, 2, 2, 10));     // 12 bytes announced, 10 present
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("truncated at offset 26"), e.getMessage());
        assertTrue(e.getMessage().contains("short"), e.getMessage());
        Path g = write("short.gz", gzip(images(3, 2, 2, 10)));
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(g));
        Path h = write("header", Arrays.copyOf(images(3, 2, 2, 12), 6));
        IdxFormatException eh = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(h));
        assertTrue(eh.getMessage().contains("magic") || eh.getMessage().contains("count"), eh.getMessage());
    }

    @Test void cutGzipStreamIsAFormatError() throws IOException {
        byte[] gz = gzip(images(50, 4, 4, 800));
        Path p = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
    }

    @Test void extraBytesMeanTheCountIsWrong() throws IOException {
        Path p = write("long", images(2, 2, 2, 12));     // 8 bytes announced, 12 present
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
    }

    @Test void absurdHeaderDoesNotAllocate() throws IOException {
        Path p = write("huge", images(1 << 20, 1 << 10, 1 << 10, 4));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().contains("more than this reader supports"), e.getMessage());
        Path neg = write("neg", images(-1, 2, 2, 4));
        assertTrue(assertThrows(IdxFormatException.class, () -> IdxReader.readImages(neg)).getMessage().contains("image count"));
    }

    @Test void directoryWithMismatchedCountsIsRejected() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(3, 2, 2, 12)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(4, 4)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(2, 2, 2, 8));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(2, 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> MnistData.load(dir));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("4 labels"), e.getMessage());
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(3, 3)));
        Split s = MnistData.load(dir);
        assertEquals(3, s.train().n());
        assertEquals(2, s.test().n());
        assertEquals(4, s.train().dim());
        assertEquals(((7 & 0xff) / 255f - Dataset.MEAN) / Dataset.STD, s.train().images()[1], 1e-6);
    }

    @Test void missingFilesAreNamed() {
        IOException e = assertThrows(IOException.class, () -> MnistData.load(tmp));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }
}
