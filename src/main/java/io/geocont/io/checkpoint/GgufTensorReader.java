package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Dequantizes one GGUF tensor into a float32 matrix, block by block: a chunk of blocks is copied
 * out of the mapped file and decoded straight into the matrix, so the only memory used is the
 * matrix itself plus 64 KiB of raw bytes. ne = [cols, rows] maps to rows x cols, the
 * state-dict's out x in for a weight.
 */
final class GgufTensorReader {
    private GgufTensorReader() { }

    /** Raw bytes copied out of the mapping per step: large enough to amortize the copy, small enough to stay in cache. */
    private static final int CHUNK_BYTES = 64 << 10;

    static final String READABLE = Arrays.stream(GgmlType.values()).filter(GgmlType::readable).map(Enum::name)
            .collect(Collectors.joining(", "));

    static Matrix read(Path file, MemorySegment bytes, GgufTensor t) throws CheckpointException {
        String where = file + ": tensor '" + t.name() + "'";
        if (t.type() == null || !t.type().readable())
            throw new CheckpointException(where + ": tensor type " + t.typeName() + " is not supported (readable types: " + READABLE + ")");
        long[] ne = t.ne();
        for (int d = 2; d < ne.length; d++)
            if (ne[d] != 1)
                throw new CheckpointException(where + ": expected a 2-D weight matrix, ne (ggml order) is " + Arrays.toString(ne));
        if (ne.length == 0) throw new CheckpointException(where + ": expected a 2-D weight matrix, it is a scalar");
        long cols = ne[0], rows = ne.length > 1 ? ne[1] : 1;
        GgmlType type = t.type();
        TensorReader.checkArraySize(where, rows, cols); // an empty tensor may still have a huge dim
        long n = rows * cols;
        if (cols % type.blockSize != 0 || n / type.blockSize * type.blockBytes != t.byteLength())
            throw new CheckpointException(where + ": " + type.describe() + " " + rows + "x" + cols + " needs "
                    + n / type.blockSize * type.blockBytes + " bytes in blocks of " + type.blockSize + ", the file gives " + t.byteLength());
        TensorReader.checkInFile(where, t.begin(), t.byteLength(), bytes.byteSize());
        float[] data = new float[(int) n];
        // Blocks never straddle rows (ne[0] is a multiple of the block size), so the tensor is one
        // run of blocks; they are copied out of the mapping a bounded chunk at a time.
        int total = (int) (n / type.blockSize), chunk = Math.max(1, CHUNK_BYTES / type.blockBytes);
        byte[] raw = new byte[Math.min(total, chunk) * type.blockBytes];
        for (int b = 0; b < total; b += chunk) {
            int count = Math.min(chunk, total - b);
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, t.begin() + (long) b * type.blockBytes, raw, 0, count * type.blockBytes);
            type.decoder.decode(raw, 0, count, data, b * type.blockSize);
        }
        TensorReader.checkFinite(where, data, (int) Math.max(cols, 1));
        return new Matrix((int) rows, (int) cols, data);
    }
}
