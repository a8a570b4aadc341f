package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the front of a GGUF (version 2 or 3, little-endian) file: magic "GGUF",
 * u32 version, u64 tensor count, u64 metadata count, the metadata key-value pairs, the tensor
 * infos (name, u32 n_dims, u64 ne[n_dims], u32 type, u64 offset), then padding to
 * {@code general.alignment} (default 32) where the data section starts. Every count, length,
 * offset and block layout is checked against the file size before anything is allocated or read.
 */
record GgufHeader(int version, GgufMetadata metadata, Map<String, GgufTensor> tensors, long alignment, long dataStart) {
    static final long DEFAULT_ALIGNMENT = 32;
    /** ggml's limit (GGML_MAX_DIMS). */
    static final int MAX_DIMS = 4;
    /** Nested arrays are legal but rare; deeper nesting than this is corruption (and would grow the stack). */
    static final int MAX_NESTING = 8;
    private static final int STRING = 8, ARRAY = 9;
    /** Bytes a value of each GGUF type occupies at least (a string its length, an array its type and count). */
    private static final int[] MIN_SIZE = {1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8};

    static GgufHeader parse(Path file, MemorySegment bytes) throws CheckpointException {
        GgufCursor c = new GgufCursor(file, bytes);
        if (c.size() < 4 || !"GGUF".equals(new String(bytes.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.ISO_8859_1)))
            throw new CheckpointException(file + ": not a GGUF file (it does not start with the magic 'GGUF')");
        c.skip(4, "magic");
        long version = c.u32("version");
        if (version == 1)
            throw new CheckpointException(file + ": GGUF version 1 (32-bit counts, 2023 pre-release) is not supported; expected version 2 or 3");
        if (version != 2 && version != 3)
            throw new CheckpointException(file + ": GGUF version " + version + (Integer.reverseBytes((int) version) == 2
                    || Integer.reverseBytes((int) version) == 3 ? " is a big-endian file, which is not supported" : " is unknown")
                    + "; expected little-endian version 2 or 3");
        long tensorCount = c.length("tensor count"), kvCount = c.length("metadata count");
        // every key-value pair takes at least 13 bytes and every tensor info 24: larger counts cannot be honest
        if (kvCount > c.remaining() / 13 || tensorCount > c.remaining() / 24)
            throw new CheckpointException(file + ": header claims " + kvCount + " metadata entries and " + tensorCount
                    + " tensors, more than the file's " + c.size() + " bytes can describe (truncated or corrupt)");
        GgufMetadata md = metadata(c, kvCount);
        long alignment = alignment(file, md);
        List<Info> infos = tensorInfos(c, tensorCount);
        c.align(alignment);
        long dataStart = c.position();
        Map<String, GgufTensor> tensors = new LinkedHashMap<>();
        for (Info t : infos) tensors.put(t.name, tensor(file, t, alignment, dataStart, c.size()));
        checkNoOverlap(file, tensors.values());
        return new GgufHeader((int) version, md, tensors, alignment, dataStart);
    }

    /** A tensor info as stored; its place in the file is known only once all infos are read. */
    private record Info(String name, long[] ne, long type, long offset) { }

    private static GgufMetadata metadata(GgufCursor c, long count) throws CheckpointException {
        GgufMetadata md = new GgufMetadata();
        for (long i = 0; i < count; i++) {
            long at = c.position();
            String key = c.string("metadata key " + i);
            long type = c.u32("value type of '" + key + "'");
            Object value = value(c, type, key, 0);
            if (!md.put(key, GgufMetadata.TYPES.get((int) type), value))
                throw new CheckpointException(c.file() + ": metadata key '" + key + "' at byte " + at + " appears twice");
        }
        return md;
    }

    private static List<Info> tensorInfos(GgufCursor c, long count) throws CheckpointException {
        List<Info> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < count; i++) {
            String name = c.string("name of tensor " + i);
            String where = "tensor '" + name + "'";
            long nDims = c.u32("dimension count of " + where);
            if (nDims > MAX_DIMS)
                throw new CheckpointException(c.file() + ": " + where + " has " + nDims + " dimensions, GGUF allows at most " + MAX_DIMS);
            long[] ne = new long[(int) nDims];
            for (int d = 0; d < nDims; d++) ne[d] = c.length("dimension " + d + " of " + where);
            long type = c.u32("type of " + where);
            long offset = c.length("data offset of " + where);
            if (!names.add(name)) throw new CheckpointException(c.file() + ": " + where + " appears twice");
            infos.add(new Info(name, ne, type, offset));
        }
        return infos;
    }

    private static Object value(GgufCursor c, long type, String key, int depth) throws CheckpointException {
        String what = "value of '" + key + "'";
        return switch ((int) Math.min(type, Integer.MAX_VALUE)) {
            case 0 -> (long) c.u8(what);
            case 1 -> (long) (byte) c.u8(what);
            case 2 -> (long) (c.i16(what) & 0xffff);
            case 3 -> (long) c.i16(what);
            case 4 -> c.u32(what);
            case 5 -> (long) c.i32(what);
            case 6 -> (double) Float.intBitsToFloat(c.i32(what));
            case 7 -> {
                long at = c.position();
                int b = c.u8(what);
                if (b > 1) throw new CheckpointException(c.file() + ": " + what + " at byte " + at + " is " + b + ", a BOOL is 0 or 1");
                yield b == 1;
            }
            case STRING -> c.string(what);
            case ARRAY -> array(c, key, depth);
            case 10, 11 -> c.i64(what);
            case 12 -> Double.longBitsToDouble(c.i64(what));
            default -> throw new CheckpointException(c.file() + ": metadata '" + key + "' at byte " + (c.position() - 4)
                    + " has value type " + type + ", expected 0.." + (GgufMetadata.TYPES.size() - 1) + " " + GgufMetadata.TYPES);
        };
    }

    private static GgufMetadata.Array array(GgufCursor c, String key, int depth) throws CheckpointException {
        long at = c.position();
        long type = c.u32("array type of '" + key + "'");
        if (type >= GgufMetadata.TYPES.size())
            throw new CheckpointException(c.file() + ": metadata '" + key + "' at byte " + at + " is an array of value type "
                    + type + ", expected 0.." + (GgufMetadata.TYPES.size() - 1));
        if (type == ARRAY && depth + 1 >= MAX_NESTING)
            throw new CheckpointException(c.file() + ": metadata '" + key + "' nests arrays more than " + MAX_NESTING + " deep");
        long count = c.length("array length of '" + key + "'");
        int min = MIN_SIZE[(int) type];
        if (count > c.remaining() / min)
            throw new CheckpointException(c.file() + ": metadata '" + key + "' at byte " + at + " claims " + count + " "
                    + GgufMetadata.TYPES.get((int) type) + " elements (at least " + min + " bytes each), only "
                    + c.remaining() + " bytes remain");
        boolean keep = count <= GgufMetadata.Array.KEPT;
        if (!keep && type != STRING && type != ARRAY) { // fixed-size elements: nothing to parse
            c.skip(count * min, "elements of '" + key + "'");
            return new GgufMetadata.Array(GgufMetadata.TYPES.get((int) type), count, null);
        }
        List<Object> values = keep ? new ArrayList<>((int) count) : null;
        for (long i = 0; i < count; i++) {
            Object v = value(c, type, key + "[" + i + "]", depth + 1);
            if (keep) values.add(v);
        }
        return new GgufMetadata.Array(GgufMetadata.TYPES.get((int) type), count, values == null ? null : List.copyOf(values));
    }

    private static long alignment(Path file, GgufMetadata md) throws CheckpointException {
        Object a = md.get("general.alignment");
        if (a == null) return DEFAULT_ALIGNMENT;
        if (!"UINT32".equals(md.type("general.alignment")) || (long) a == 0 || Long.bitCount((long) a) != 1)
            throw new CheckpointException(file + ": general.alignment is " + a + " (" + md.type("general.alignment")
                    + "), expected a UINT32 power of two");
        return (long) a;
    }

    private static GgufTensor tensor(Path file, Info info, long alignment, long dataStart, long fileSize) throws CheckpointException {
        String name = info.name, where = file + ": tensor '" + name + "'";
        long[] ne = info.ne;
        long typeId = info.type, offset = info.offset;
        GgmlType type = GgmlType.of(typeId);
        long elements = 1;
        for (long d : ne) elements = multiply(where, elements, d);
        if (offset % alignment != 0)
            throw new CheckpointException(where + ": data offset " + offset + " is not a multiple of the alignment " + alignment);
        long begin = dataStart + offset; // both below 2^63 and each at most the file size or an honest u64: checked next
        if (begin < 0 || begin > fileSize)
            throw new CheckpointException(where + ": data offset " + offset + " (byte " + (begin < 0 ? "overflow" : begin)
                    + ") lies past the end of the file (" + fileSize + " bytes; truncated?)");
        if (type == null) return new GgufTensor(name, ne, typeId, null, begin, -1);
        long cols = ne.length == 0 ? 1 : ne[0];
        if (cols % type.blockSize != 0)
            throw new CheckpointException(where + ": " + type.describe() + " stores rows in blocks of " + type.blockSize
                    + " elements, but ne[0] = " + cols + " is not a multiple of " + type.blockSize);
        long bytes = multiply(where, elements / type.blockSize, type.blockBytes);
        if (bytes > fileSize - begin)
            throw new CheckpointException(where + ": " + type.describe() + " ne=" + Arrays.toString(ne) + " needs " + bytes
                    + " bytes (" + elements / type.blockSize + " blocks of " + type.blockBytes + ") at byte " + begin
                    + ", the file ends at " + fileSize + " (truncated?)");
        return new GgufTensor(name, ne, typeId, type, begin, bytes);
    }

    private static long multiply(String where, long a, long b) throws CheckpointException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException x) {
            throw new CheckpointException(where + ": shape is too large (element count overflows)");
        }
    }

    private static void checkNoOverlap(Path file, Iterable<GgufTensor> tensors) throws CheckpointException {
        List<GgufTensor> sorted = new ArrayList<>();
        for (GgufTensor t : tensors) if (t.byteLength() > 0) sorted.add(t);
        sorted.sort(Comparator.comparingLong(GgufTensor::begin));
        for (int i = 1; i < sorted.size(); i++) {
            GgufTensor a = sorted.get(i - 1), b = sorted.get(i);
            if (b.begin() < a.begin() + a.byteLength())
                throw new CheckpointException(file + ": tensors '" + a.name() + "' and '" + b.name() + "' overlap (bytes "
                        + a.begin() + ".." + (a.begin() + a.byteLength()) + " and " + b.begin() + ".." + (b.begin() + b.byteLength()) + ")");
        }
    }
}
