package io.geocont.io.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.linalg.Matrix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes small safetensors files for tests (F32, F16, BF16). */
final class SafetensorsBuilder {
    private final Map<String, Object> header = new LinkedHashMap<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    SafetensorsBuilder add(String name, Matrix m, Dtype dtype) {
        return add(name, m.data(), new long[] {m.rows(), m.cols()}, dtype);
    }

    SafetensorsBuilder add(String name, float[] values, long[] shape, Dtype dtype) {
        byte[] bytes = encode(values, dtype);
        long begin = data.size();
        data.writeBytes(bytes);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("dtype", dtype.name());
        t.put("shape", shape);
        t.put("data_offsets", List.of(begin, (long) data.size()));
        header.put(name, t);
        return this;
    }

    static byte[] encode(float[] values, Dtype dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.size).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values)
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(Float.floatToFloat16(v));
                case BF16 -> b.putShort(toBf16(v));
                default -> throw new IllegalArgumentException(dtype.name());
            }
        return b.array();
    }

    /** Round-to-nearest-even float32 -> bfloat16 bits. */
    static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The value a float becomes after a round trip through {@code dtype}. */
    static float roundTrip(float v, Dtype dtype) {
        return switch (dtype) {
            case F32 -> v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            case BF16 -> Float.intBitsToFloat((toBf16(v) & 0xffff) << 16);
            default -> throw new IllegalArgumentException(dtype.name());
        };
    }

    byte[] build() {
        try {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("__metadata__", Map.of("format", "pt"));
            h.putAll(header);
            byte[] json = new ObjectMapper().writeValueAsString(h).getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(json.length).put(json).put(data.toByteArray());
            return out.array();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw file from a header map and data bytes, for building invalid files. */
    static byte[] raw(String json, byte[] payload) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + j.length + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(j.length).put(j).put(payload).array();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, build());
        return file;
    }
}
