package io.geocont.io;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir Path dir;

    /** A .npy file of any version with the given header dict and payload (the header padded as numpy does). */
    private Path file(String name, int version, String dict, byte[] payload) throws IOException {
        int pre = version == 1 ? 10 : 12;
        int unpadded = pre + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        byte[] t = text.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(pre + t.length + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) b.putShort((short) t.length); else b.putInt(t.length);
        b.put(t).put(payload);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static byte[] f4(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    private static byte[] f8(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    private static String dict(String dtype, boolean fortran, String shape) {
        return "{'descr': '" + dtype + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
    }

    private IOException bad(Path p) {
        return assertThrows(IOException.class, () -> Npy.readStack(p));
    }

    private void assertMessage(IOException e, Path p, String... parts) {
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }

    @Test void roundTripStackAndMatrix() throws IOException {
        Matrix a = new Matrix(2, 3, new float[] {1, 2, 3, 4, 5, 6}), b = new Matrix(2, 3, new float[] {-1, 0.5f, 7, 8, 9, 1e-30f});
        Path p = dir.resolve("s.npy");
        Npy.writeStack(p, List.of(a, b));
        assertEquals(List.of(a, b), Npy.readStack(p));
        Npy.Header h = Npy.readHeader(p);
        assertArrayEquals(new long[] {2, 2, 3}, h.shape());
        assertEquals("<f4", h.dtype());
        assertEquals(0, h.dataOffset() % 64, "data aligned like numpy's");
        Path q = dir.resolve("m.npy");
        Npy.writeMatrix(q, a);
        assertEquals(List.of(a), Npy.readStack(q));
    }

    @Test void readerGivesLayersOnDemand() throws IOException {
        Path p = file("r.npy", 1, dict("<f8", false, "(3, 1, 2)"), f8(1, 2, 3, 4, 5, 6));
        try (Npy.Reader r = Npy.open(p)) {
            assertEquals(3, r.layers());
            assertEquals(1, r.rows());
            assertEquals(2, r.cols());
            assertArrayEquals(new float[] {5, 6}, r.layer(2).data());
            assertArrayEquals(new float[] {1, 2}, r.layer(0).data());
            assertThrows(IndexOutOfBoundsException.class, () -> r.layer(3));
        }
    }

    @Test void readsFloat64AndVersions2And3() throws IOException {
        Path p8 = file("d.npy", 1, dict("<f8", false, "(1, 2, 2)"), f8(1.5, -2, 3.25, 1e-3));
        assertArrayEquals(new float[] {1.5f, -2, 3.25f, 1e-3f}, Npy.readStack(p8).get(0).data());
        Path p2 = file("v2.npy", 2, dict("<f4", false, "(2, 1)"), f4(3, 4));
        assertEquals(new Matrix(2, 1, new float[] {3, 4}), Npy.readStack(p2).get(0));
        Path p3 = file("v3.npy", 3, dict("<f4", false, "(1,1,2)"), f4(5, 6));
        assertArrayEquals(new float[] {5, 6}, Npy.readStack(p3).get(0).data());
    }

    @Test void badMagic() throws IOException {
        Path p = dir.resolve("x.npy");
        Files.write(p, "not a numpy file at all".getBytes());
        assertMessage(bad(p), p, "bad magic");
    }

    @Test void truncatedHeader() throws IOException {
        Path p = dir.resolve("t.npy");
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U', 'M'});
        assertMessage(bad(p), p, "truncated header");
    }

    @Test void headerLengthPastEnd() throws IOException {
        Path ok = file("ok.npy", 1, dict("<f4", false, "(1, 1)"), f4(1));
        byte[] b = Files.readAllBytes(ok);
        b[8] = (byte) 0xff; b[9] = (byte) 0x7f;
        Path p = dir.resolve("hl.npy");
        Files.write(p, b);
        assertMessage(bad(p), p, "header length 32767", "past the end");
    }

    @Test void unsupportedVersion() throws IOException {
        byte[] b = Files.readAllBytes(file("ok.npy", 1, dict("<f4", false, "(1, 1)"), f4(1)));
        b[6] = 9;
        Path p = dir.resolve("v9.npy");
        Files.write(p, b);
        assertMessage(bad(p), p, "version 9");
    }

    @Test void fortranOrder() throws IOException {
        Path p = file("f.npy", 1, dict("<f4", true, "(2, 2)"), f4(1, 2, 3, 4));
        assertMessage(bad(p), p, "Fortran");
    }

    @Test void unsupportedDtypeAndBigEndian() throws IOException {
        Path i = file("i.npy", 1, dict("<i4", false, "(1, 1)"), f4(1));
        assertMessage(bad(i), i, "unsupported dtype '<i4'", "'<f4'");
        Path h = file("h.npy", 1, dict("<f2", false, "(1, 2)"), f4(1));
        assertMessage(bad(h), h, "unsupported dtype '<f2'");
        Path be = file("be.npy", 1, dict(">f4", false, "(1, 1)"), f4(1));
        assertMessage(bad(be), be, "big-endian");
    }

    @Test void shapeSizeMismatchAndTruncatedData() throws IOException {
        Path extra = file("e.npy", 1, dict("<f4", false, "(2, 2)"), f4(1, 2, 3, 4, 5));
        assertMessage(bad(extra), extra, "shape/size mismatch", "16 bytes", "20");
        Path shortData = file("s.npy", 1, dict("<f4", false, "(2, 2, 2)"), f4(1, 2, 3));
        assertMessage(bad(shortData), shortData, "truncated data", "32 bytes", "12");
        Path huge = file("h.npy", 1, dict("<f4", false, "(100000, 100000, 100000)"), f4(1));
        assertTrue(bad(huge).getMessage().contains(huge.toString()));
    }

    @Test void wrongDimensionsAndBadShapes() throws IOException {
        Path one = file("1.npy", 1, dict("<f4", false, "(4,)"), f4(1, 2, 3, 4));
        assertMessage(bad(one), one, "expected 2", "or 3");
        Path four = file("4.npy", 1, dict("<f4", false, "(1, 1, 1, 1)"), f4(1));
        assertMessage(bad(four), four, "4 dimensions");
        Path zero = file("0.npy", 1, dict("<f4", false, "(3, 0, 2)"), new byte[0]);
        assertMessage(bad(zero), zero, "zero dimension");
        Path junk = file("j.npy", 1, dict("<f4", false, "(2, x)"), f4(1, 2));
        assertMessage(bad(junk), junk, "bad shape entry 'x'");
        Path noShape = file("n.npy", 1, "{'descr': '<f4', 'fortran_order': False, }", f4(1));
        assertMessage(bad(noShape), noShape, "'shape'");
    }

    @Test void nonFiniteValuesNameLayerAndIndex() throws IOException {
        Path p = file("nan.npy", 1, dict("<f4", false, "(2, 2, 3)"), f4(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Float.NaN, 0));
        assertMessage(bad(p), p, "non-finite", "layer 1", "row 1", "column 1");
        Path big = file("inf.npy", 1, dict("<f8", false, "(1, 2)"), f8(1, 1e300));
        assertMessage(bad(big), big, "non-finite", "float32", "layer 0", "column 1");
    }

    @Test void headerBytesMatchNumpyLayout() {
        byte[] h = Npy.headerBytes("<f4", new long[] {3, 4});
        assertEquals(0, h.length % 64);
        String text = new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), text);
        assertTrue(text.endsWith("\n"));
        assertTrue(Arrays.equals(Arrays.copyOf(h, 6), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}));
    }
}
