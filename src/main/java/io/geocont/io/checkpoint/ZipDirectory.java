package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip file that is already mapped, so an uncompressed (STORED) entry
 * can be read in place as a slice of the mapping. torch.save writes such archives: no
 * compression, sizes only in the central directory (the local headers use a data descriptor),
 * ZIP64 records past 4 GiB. Every offset and size is checked against the file before use.
 */
final class ZipDirectory {
    /** One entry; {@code dataOffset} is absolute in the file, {@code size} its stored byte count. */
    record Entry(String name, int method, long size, long dataOffset) {
        boolean stored() { return method == 0; }
    }

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int LOCAL_SIG = 0x04034b50, CENTRAL_SIG = 0x02014b50, END_SIG = 0x06054b50;
    private static final int ZIP64_END_SIG = 0x06064b50, ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int END_SIZE = 22, MAX_COMMENT = 0xffff;

    private final Path file;
    private final MemorySegment bytes;
    private final Map<String, Entry> entries;

    private ZipDirectory(Path file, MemorySegment bytes, Map<String, Entry> entries) {
        this.file = file;
        this.bytes = bytes;
        this.entries = entries;
    }

    /** True when the file begins like a zip (a local file header or an empty archive's end record). */
    static boolean looksLikeZip(MemorySegment bytes) {
        if (bytes.byteSize() < 4) return false;
        int sig = bytes.get(U32, 0);
        return sig == LOCAL_SIG || sig == END_SIG;
    }

    static ZipDirectory read(Path file, MemorySegment bytes) throws CheckpointException {
        long size = bytes.byteSize();
        long end = findEnd(file, bytes);
        long count = u16(bytes, end + 10), cdSize = u32(bytes, end + 12), cdOffset = u32(bytes, end + 16);
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            long locator = end - 20;
            if (locator < 0 || bytes.get(U32, locator) != ZIP64_LOCATOR_SIG)
                throw new CheckpointException(file + ": zip end record points to ZIP64 fields but there is no ZIP64 locator");
            long z64 = bytes.get(U64, locator + 8);
            if (z64 < 0 || z64 > locator - 56 || bytes.get(U32, z64) != ZIP64_END_SIG)
                throw new CheckpointException(file + ": ZIP64 end record offset " + z64 + " does not hold a ZIP64 end record");
            count = bytes.get(U64, z64 + 32);
            cdSize = bytes.get(U64, z64 + 40);
            cdOffset = bytes.get(U64, z64 + 48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > end || cdSize > end - cdOffset)
            throw new CheckpointException(file + ": central directory [" + cdOffset + ", +" + cdSize + ") lies outside the "
                    + size + "-byte file (truncated?)");
        Map<String, Entry> out = new LinkedHashMap<>();
        long p = cdOffset, cdEnd = cdOffset + cdSize;
        while (p < cdEnd) {
            Entry e = central(file, bytes, p, cdEnd, cdOffset);
            if (out.put(e.name(), e) != null) throw new CheckpointException(file + ": zip entry '" + e.name() + "' appears twice");
            p += 46 + u16(bytes, p + 28) + u16(bytes, p + 30) + u16(bytes, p + 32);
        }
        if (count != out.size())
            throw new CheckpointException(file + ": zip end record announces " + count + " entries, the central directory holds " + out.size());
        return new ZipDirectory(file, bytes, Collections.unmodifiableMap(out));
    }

    /** The end-of-central-directory record: the last 22 + comment bytes of the file. */
    private static long findEnd(Path file, MemorySegment bytes) throws CheckpointException {
        long size = bytes.byteSize();
        for (long p = size - END_SIZE; p >= 0 && p >= size - END_SIZE - MAX_COMMENT; p--)
            if (bytes.get(U32, p) == END_SIG && p + END_SIZE + u16(bytes, p + 20) == size) return p;
        throw new CheckpointException(file + ": no zip end-of-central-directory record in its " + size
                + " bytes (truncated download, or not a zip archive)");
    }

    private static Entry central(Path file, MemorySegment b, long p, long cdEnd, long dataEnd) throws CheckpointException {
        if (p > cdEnd - 46 || b.get(U32, p) != CENTRAL_SIG)
            throw new CheckpointException(file + ": central directory entry at offset " + p + " is damaged (no signature)");
        int flags = u16(b, p + 8), method = u16(b, p + 10);
        long compressed = u32(b, p + 20), size = u32(b, p + 24), local = u32(b, p + 42);
        int nameLen = u16(b, p + 28), extraLen = u16(b, p + 30), commentLen = u16(b, p + 32);
        if (nameLen + extraLen + commentLen > cdEnd - p - 46)
            throw new CheckpointException(file + ": central directory entry at offset " + p + " runs past the directory");
        String name = new String(b.asSlice(p + 46, nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        String where = file + ": zip entry '" + name + "'";
        // ZIP64 extra field (id 1): 8-byte values for exactly those fields that read 0xffffffff, in this order.
        long x = p + 46 + nameLen, xEnd = x + extraLen;
        while (x + 4 <= xEnd) {
            int id = u16(b, x), len = u16(b, x + 2);
            if (x + 4 + len > xEnd) throw new CheckpointException(where + ": extra field runs past its entry");
            if (id == 1) {
                long q = x + 4, qEnd = q + len;
                if (size == 0xffffffffL) { size = zip64(where, b, q, qEnd); q += 8; }
                if (compressed == 0xffffffffL) { compressed = zip64(where, b, q, qEnd); q += 8; }
                if (local == 0xffffffffL) local = zip64(where, b, q, qEnd);
            }
            x += 4 + len;
        }
        if ((flags & 1) != 0) throw new CheckpointException(where + ": encrypted entries are not supported");
        if (local < 0 || local > dataEnd - 30 || b.get(U32, local) != LOCAL_SIG)
            throw new CheckpointException(where + ": local header offset " + local + " does not hold a local file header");
        long data = local + 30 + u16(b, local + 26) + u16(b, local + 28);
        if (compressed < 0 || size < 0 || data > dataEnd || compressed > dataEnd - data)
            throw new CheckpointException(where + ": its " + compressed + " bytes at offset " + data + " run past the entry area ("
                    + dataEnd + " bytes before the central directory; truncated?)");
        if (method == 0 && compressed != size)
            throw new CheckpointException(where + ": stored entry has size " + size + " but " + compressed + " bytes on disk");
        return new Entry(name, method, method == 0 ? size : compressed, data);
    }

    private static long zip64(String where, MemorySegment b, long q, long end) throws CheckpointException {
        if (q + 8 > end) throw new CheckpointException(where + ": ZIP64 extra field is too short for the sizes it must hold");
        return b.get(U64, q);
    }

    private static int u16(MemorySegment b, long at) { return b.get(U16, at) & 0xffff; }

    private static long u32(MemorySegment b, long at) { return b.get(U32, at) & 0xffffffffL; }

    Map<String, Entry> entries() { return entries; }

    /** The entry's bytes in place; refuses compressed entries (torch.save never compresses). */
    MemorySegment slice(Entry e) throws CheckpointException {
        requireStored(e);
        return bytes.asSlice(e.dataOffset(), e.size());
    }

    void requireStored(Entry e) throws CheckpointException {
        if (!e.stored())
            throw new CheckpointException(file + ": zip entry '" + e.name() + "' is compressed (method " + e.method()
                    + "); torch.save stores entries uncompressed, so re-save the checkpoint with torch.save");
    }
}
