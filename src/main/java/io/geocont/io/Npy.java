package io.geocont.io;

import io.geocont.linalg.Matrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy .npy files (format versions 1, 2 and 3) holding a weight stack: dtype little-endian
 * float32 or float64 (read as float32), C order, shape [out, in] (one layer) or
 * [L, out, in]. Every size is checked against the file length before anything is read, and
 * every problem is an IOException naming the file and what was expected. Read layer by layer,
 * so a stack larger than one Java array is fine as long as each layer fits.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() { }

    /** What the header says: element type, shape, and where the data starts. */
    public record Header(int version, String dtype, long[] shape, long dataOffset) {
        public int itemSize() { return dtype.endsWith("8") ? 8 : 4; }
        public long elements() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
        @Override public String toString() { return "npy v" + version + " " + dtype + " shape " + Arrays.toString(shape); }
    }

    /** Reads the header of a .npy file and checks it against the file's length. */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        }
    }

    /**
     * The stack in a .npy file: a 3-D array [L, out, in] gives L matrices out x in, a 2-D
     * array [out, in] one matrix. Non-finite values are an error naming layer, row and column.
     */
    public static List<Matrix> readStack(Path file) throws IOException {
        try (Reader r = open(file)) {
            List<Matrix> out = new ArrayList<>(r.layers());
            for (int l = 0; l < r.layers(); l++) out.add(r.layer(l));
            return out;
        }
    }

    /** Opens a .npy stack for reading one layer at a time (the header is checked first). */
    public static Reader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new Reader(file, ch, header(file, ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Layer-at-a-time access to a checked .npy stack, so a large stack never sits in memory whole. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel ch;
        private final Header header;
        private final int layers, rows, cols;

        private Reader(Path file, FileChannel ch, Header header) {
            this.file = file; this.ch = ch; this.header = header;
            long[] s = header.shape();
            this.layers = s.length == 3 ? (int) s[0] : 1;
            this.rows = (int) s[s.length - 2];
            this.cols = (int) s[s.length - 1];
        }

        public Header header() { return header; }
        public int layers() { return layers; }
        public int rows() { return rows; }
        public int cols() { return cols; }

        /** Layer l (0-based) as an out x in matrix. */
        public Matrix layer(int l) throws IOException {
            if (l < 0 || l >= layers) throw new IndexOutOfBoundsException(file + ": layer " + l + " of " + layers);
            int per = rows * cols, item = header.itemSize();
            float[] data = new float[per];
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) per * item, 1 << 22)).order(ByteOrder.LITTLE_ENDIAN);
            long pos = header.dataOffset() + (long) l * per * item;
            int filled = 0;
            while (filled < per) {
                int want = Math.min(per - filled, buf.capacity() / item);
                buf.clear().limit(want * item);
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, pos);
                    if (n < 0) throw new IOException(file + ": data ends early at byte " + pos + " (layer " + l + ")");
                    pos += n;
                }
                buf.flip();
                for (int i = 0; i < want; i++) {
                    float v = item == 4 ? buf.getFloat() : (float) buf.getDouble();
                    if (!Float.isFinite(v)) {
                        int idx = filled + i;
                        throw new IOException(file + ": non-finite value " + v + (item == 8 ? " (after conversion to float32)" : "")
                                + " at layer " + l + ", row " + (idx / cols) + ", column " + (idx % cols) + "; expected finite weights");
                    }
                    data[filled + i] = v;
                }
                filled += want;
            }
            return new Matrix(rows, cols, data);
        }

        @Override public void close() throws IOException { ch.close(); }
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 10) throw new IOException(file + ": truncated header: " + size + " bytes, a .npy file starts with at least 10");
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0, (int) Math.min(12, size));
        for (int i = 0; i < MAGIC.length; i++)
            if (pre.get(i) != MAGIC[i]) throw new IOException(file + ": not a .npy file (bad magic; expected \\x93NUMPY at byte 0)");
        int major = pre.get(6) & 0xff;
        long headerLen, start;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (size < 12) throw new IOException(file + ": truncated header: " + size + " bytes, a version " + major + " .npy file starts with at least 12");
            headerLen = pre.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new IOException(file + ": unsupported .npy format version " + major + "." + (pre.get(7) & 0xff) + " (expected 1, 2 or 3)");
        }
        if (start + headerLen > size)
            throw new IOException(file + ": header length " + headerLen + " at byte " + (start - 4) + " runs past the end of the file (" + size + " bytes)");
        if (headerLen > 1 << 20) throw new IOException(file + ": header length " + headerLen + " is implausibly large (expected under 1 MiB)");
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, start, (int) headerLen);
        String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String dtype = field(file, DESCR, text, "descr");
        switch (dtype) {
            case "<f4", "<f8" -> { }
            case ">f4", ">f8" -> throw new IOException(file + ": big-endian dtype '" + dtype + "' is not supported (expected '<f4' or '<f8'; "
                    + "convert with numpy: a.astype('<f4'))");
            default -> throw new IOException(file + ": unsupported dtype '" + dtype + "' (expected little-endian float32 '<f4' or float64 '<f8')");
        }
        if (field(file, FORTRAN, text, "fortran_order").equals("True"))
            throw new IOException(file + ": Fortran-order arrays are not supported (expected fortran_order False; save np.ascontiguousarray(a))");
        long[] shape = parseShape(file, field(file, SHAPE, text, "shape"));
        if (shape.length != 2 && shape.length != 3)
            throw new IOException(file + ": shape " + Arrays.toString(shape) + " has " + shape.length
                    + " dimensions; expected 2 ([out, in]) or 3 ([layers, out, in])");
        for (long d : shape)
            if (d == 0) throw new IOException(file + ": shape " + Arrays.toString(shape) + " has a zero dimension; expected non-empty layers");
        if (shape.length == 3 && shape[0] > Integer.MAX_VALUE - 8)
            throw new IOException(file + ": " + shape[0] + " layers is too many (at most 2^31)");
        long rows = shape[shape.length - 2], cols = shape[shape.length - 1];
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || rows * cols > Integer.MAX_VALUE - 8)
            throw new IOException(file + ": one layer of " + rows + "x" + cols + " is too large (at most 2^31 values per layer)");
        Header h = new Header(major, dtype, shape, start + headerLen);
        long dataBytes = size - h.dataOffset();
        long want;
        try {
            want = Math.multiplyExact(h.elements(), h.itemSize());
        } catch (ArithmeticException e) {
            throw new IOException(file + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (dataBytes < want)
            throw new IOException(file + ": truncated data: shape " + Arrays.toString(shape) + " of " + dtype + " needs " + want
                    + " bytes after the header (byte " + h.dataOffset() + "), the file has " + dataBytes);
        if (dataBytes > want)
            throw new IOException(file + ": shape/size mismatch: shape " + Arrays.toString(shape) + " of " + dtype + " needs " + want
                    + " bytes after the header, the file has " + dataBytes + " (" + (dataBytes - want) + " extra)");
        return h;
    }

    private static String field(Path file, Pattern p, String header, String name) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IOException(file + ": .npy header has no valid '" + name + "' entry: " + header.strip());
        return m.group(1);
    }

    private static long[] parseShape(Path file, String inner) throws IOException {
        List<Long> dims = new ArrayList<>();
        for (String part : inner.split(",")) {
            String t = part.strip();
            if (t.endsWith("L")) t = t.substring(0, t.length() - 1); // Python 2 long
            if (t.isEmpty()) continue;
            try {
                long d = Long.parseLong(t);
                if (d < 0) throw new NumberFormatException();
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": bad shape entry '" + part.strip() + "' in (" + inner + "); expected non-negative integers");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, int len) throws IOException {
        b.clear().limit(len);
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) throw new IOException("unexpected end of file at byte " + pos);
            pos += n;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes a stack of equal-shaped matrices as a 3-D little-endian float32 array [L, out, in] (atomically). */
    public static void writeStack(Path file, List<Matrix> stack) throws IOException {
        if (stack.isEmpty()) throw new IllegalArgumentException("cannot write an empty stack to " + file);
        int rows = stack.get(0).rows(), cols = stack.get(0).cols();
        for (int l = 0; l < stack.size(); l++)
            if (stack.get(l).rows() != rows || stack.get(l).cols() != cols)
                throw new IllegalArgumentException("layer " + l + " is " + stack.get(l) + " but layer 0 is " + rows + "x" + cols);
        write(file, new long[] {stack.size(), rows, cols}, stack);
    }

    /** Writes one matrix as a 2-D little-endian float32 array [out, in] (atomically). */
    public static void writeMatrix(Path file, Matrix m) throws IOException {
        write(file, new long[] {m.rows(), m.cols()}, List.of(m));
    }

    private static void write(Path file, long[] shape, List<Matrix> layers) throws IOException {
        byte[] header = headerBytes("<f4", shape);
        long n = 0;
        for (Matrix m : layers) n += m.data().length;
        long total = header.length + 4 * n;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("stack too large to write in one piece: " + total + " bytes");
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        for (Matrix m : layers) for (float v : m.data()) out.putFloat(v);
        AtomicFiles.writeBytes(file, out.array());
    }

    /** A version 1.0 header (magic, version, length, dict padded with spaces to 64 bytes, newline). */
    public static byte[] headerBytes(String dtype, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) dims.append(shape[i]).append(i == 0 && shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }
}
