package io.geocont.io.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small GGUF files for tests, valid or deliberately broken: metadata values are appended
 * as raw typed bytes, tensor infos may carry any type id, offset or dimensions, and data is
 * padded to the alignment as llama.cpp's writer pads it. The fixtures made by gguf-py itself
 * live in src/test/resources/gguf; this is for the cases that need a forged field.
 */
final class GgufBuilder {
    private record Info(String name, long[] ne, long type, long offset) { }

    private final ByteArrayOutputStream kv = new ByteArrayOutputStream();
    private final java.util.Set<String> keys = new java.util.HashSet<>();
    private long kvCount;
    private final List<Info> infos = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private long alignment = GgufHeader.DEFAULT_ALIGNMENT;
    private int version = 3;

    GgufBuilder version(int v) {
        version = v;
        return this;
    }

    /** One metadata entry: key, value type, value bytes as given. */
    GgufBuilder raw(String key, int type, byte[] value) {
        kv.writeBytes(string(key));
        kv.writeBytes(le(4).putInt(type).array());
        kv.writeBytes(value);
        keys.add(key);
        kvCount++;
        return this;
    }

    boolean has(String key) { return keys.contains(key); }

    GgufBuilder string(String key, String v) { return raw(key, 8, string(v)); }

    GgufBuilder u32(String key, long v) { return raw(key, 4, le(4).putInt((int) v).array()); }

    GgufBuilder i32(String key, int v) { return raw(key, 5, le(4).putInt(v).array()); }

    GgufBuilder f32(String key, float v) { return raw(key, 6, le(4).putFloat(v).array()); }

    GgufBuilder bool(String key, boolean v) { return raw(key, 7, new byte[] {(byte) (v ? 1 : 0)}); }

    GgufBuilder u64(String key, long v) { return raw(key, 10, le(8).putLong(v).array()); }

    GgufBuilder u32Array(String key, long... vs) {
        ByteBuffer b = le(12 + 4 * vs.length).putInt(4).putLong(vs.length);
        for (long v : vs) b.putInt((int) v);
        return raw(key, 9, b.array());
    }

    GgufBuilder stringArray(String key, String... vs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(le(12).putInt(8).putLong(vs.length).array());
        for (String v : vs) b.writeBytes(string(v));
        return raw(key, 9, b.toByteArray());
    }

    /** Sets general.alignment (UINT32) and pads the data with it. */
    GgufBuilder alignment(int a) {
        alignment = a;
        return u32("general.alignment", a);
    }

    /** A tensor whose bytes follow the previous one's, padded to the alignment. */
    GgufBuilder tensor(String name, GgmlType type, long[] ne, byte[] bytes) {
        pad();
        infos.add(new Info(name, ne, type.id, data.size()));
        data.writeBytes(bytes);
        return this;
    }

    /** A tensor info only, with whatever fields a test needs to forge. */
    GgufBuilder tensorInfo(String name, long[] ne, long type, long offset) {
        infos.add(new Info(name, ne, type, offset));
        return this;
    }

    /** Bytes appended to the data section as they are. */
    GgufBuilder rawData(byte[] b) {
        data.writeBytes(b);
        return this;
    }

    private void pad() {
        while (data.size() % alignment != 0) data.write(0);
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(20).putInt(version).putLong(infos.size()).putLong(kvCount).array());
        out.writeBytes(kv.toByteArray());
        for (Info t : infos) {
            out.writeBytes(string(t.name));
            ByteBuffer b = le(4 + 8 * t.ne.length + 12).putInt(t.ne.length);
            for (long d : t.ne) b.putLong(d);
            out.writeBytes(b.putInt((int) t.type).putLong(t.offset).array());
        }
        while (out.size() % alignment != 0) out.write(0);
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, build());
        return file;
    }

    static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return le(8 + b.length).putLong(b.length).put(b).array();
    }

    static byte[] f32(float... vs) {
        ByteBuffer b = le(4 * vs.length);
        for (float v : vs) b.putFloat(v);
        return b.array();
    }

    static byte[] f16(float... vs) {
        ByteBuffer b = le(2 * vs.length);
        for (float v : vs) b.putShort(Float.floatToFloat16(v));
        return b.array();
    }

    /** Q8_0 blocks of {@code vs} (length a multiple of 32): scale max|x|/127, codes rounded. */
    static byte[] q8_0(float... vs) {
        ByteBuffer b = le(vs.length / 32 * 34);
        for (int i = 0; i < vs.length; i += 32) {
            float max = 0;
            for (int j = 0; j < 32; j++) max = Math.max(max, Math.abs(vs[i + j]));
            float d = max / 127;
            b.putShort(Float.floatToFloat16(d));
            for (int j = 0; j < 32; j++) b.put((byte) (d == 0 ? 0 : Math.round(vs[i + j] / d)));
        }
        return b.array();
    }
}
