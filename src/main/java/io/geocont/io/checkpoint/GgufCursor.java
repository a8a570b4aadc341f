package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A read position in a GGUF file's bytes. Every read is checked against the end of the file
 * first, so a forged length or count fails as "truncated" with the offset and what was being
 * read instead of reaching the segment's own bounds check or allocating from it.
 */
final class GgufCursor {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Longer "strings" are corruption (real ones, even an embedded tokenizer.json, are a few MiB). */
    static final long MAX_STRING = 256L << 20;

    private final Path file;
    private final MemorySegment bytes;
    private long at;

    GgufCursor(Path file, MemorySegment bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    Path file() { return file; }

    long position() { return at; }

    long remaining() { return bytes.byteSize() - at; }

    long size() { return bytes.byteSize(); }

    /** Fails unless {@code n} more bytes exist; {@code what} names the field for the message. */
    void need(long n, String what) throws CheckpointException {
        if (n < 0 || n > remaining())
            throw new CheckpointException(file + ": truncated at byte " + at + " reading " + what + ": needs "
                    + (n < 0 ? Long.toUnsignedString(n) : Long.toString(n)) + " bytes, " + remaining() + " left");
    }

    int u8(String what) throws CheckpointException {
        need(1, what);
        return bytes.get(ValueLayout.JAVA_BYTE, at++) & 0xff;
    }

    short i16(String what) throws CheckpointException {
        need(2, what);
        short v = bytes.get(SHORT, at);
        at += 2;
        return v;
    }

    int i32(String what) throws CheckpointException {
        need(4, what);
        int v = bytes.get(INT, at);
        at += 4;
        return v;
    }

    long u32(String what) throws CheckpointException { return i32(what) & 0xffffffffL; }

    long i64(String what) throws CheckpointException {
        need(8, what);
        long v = bytes.get(LONG, at);
        at += 8;
        return v;
    }

    /** A u64 count or size that must fit a signed long (anything larger cannot describe this file). */
    long length(String what) throws CheckpointException {
        long pos = at, v = i64(what);
        if (v < 0)
            throw new CheckpointException(file + ": " + what + " at byte " + pos + " is " + Long.toUnsignedString(v)
                    + ", more than any file holds");
        return v;
    }

    /** A GGUF string: u64 byte length, then UTF-8 bytes (no terminator). */
    String string(String what) throws CheckpointException {
        long pos = at, n = length(what + " length");
        if (n > remaining() || n > MAX_STRING)
            throw new CheckpointException(file + ": " + what + " at byte " + pos + " claims " + n + " bytes, "
                    + (n > remaining() ? "only " + remaining() + " remain in the file" : "more than the " + MAX_STRING + " a string may hold"));
        byte[] b = bytes.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
        at += n;
        return new String(b, StandardCharsets.UTF_8);
    }

    void skip(long n, String what) throws CheckpointException {
        need(n, what);
        at += n;
    }

    /** Moves to the next multiple of {@code alignment} (may pass the end: nothing is read there). */
    void align(long alignment) { at = Math.ceilDiv(at, alignment) * alignment; }
}
