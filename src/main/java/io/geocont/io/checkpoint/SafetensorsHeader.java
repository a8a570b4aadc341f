package io.geocont.io.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a safetensors header: 8 bytes little-endian header length N, N bytes of
 * JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data.
 * Every offset, length and shape is checked against the file before anyone touches the data.
 */
public final class SafetensorsHeader {
    /** The reference implementation's limit; a larger "header" is corruption, not a model. */
    static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsHeader() { }

    /** The tensors of {@code file}, whose whole content is {@code bytes}, in file order, validated. */
    public static Map<String, TensorInfo> parse(Path file, MemorySegment bytes) throws CheckpointException {
        long size = bytes.byteSize();
        if (size < 8)
            throw new CheckpointException(file + ": truncated: " + size + " bytes, a safetensors file starts with an 8-byte header length");
        long n = bytes.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER)
            throw new CheckpointException(file + ": header length " + Long.toUnsignedString(n)
                    + " is not a plausible JSON header (expected 2 .. " + MAX_HEADER + " bytes)");
        if (n > size - 8)
            throw new CheckpointException(file + ": header length " + n + " runs past the end of the file ("
                    + size + " bytes; truncated?)");
        byte[] json = bytes.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + ": header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject())
            throw new CheckpointException(file + ": header must be a JSON object of tensors");
        long dataStart = 8 + n;
        long dataLen = size - dataStart;
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            out.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), dataStart, dataLen));
        }
        checkNoOverlap(file, out.values());
        return out;
    }

    private static TensorInfo tensor(Path file, String name, JsonNode t, long dataStart, long dataLen) throws CheckpointException {
        String where = file + ": tensor '" + name + "'";
        if (!t.isObject()) throw new CheckpointException(where + ": expected an object {dtype, shape, data_offsets}");
        JsonNode dt = t.get("dtype");
        if (dt == null || !dt.isTextual()) throw new CheckpointException(where + ": missing dtype string");
        Dtype dtype = Dtype.ofSafetensors(dt.asText());
        if (dtype == null) throw new CheckpointException(where + ": unknown dtype '" + dt.asText() + "'");
        JsonNode sh = t.get("shape");
        if (sh == null || !sh.isArray()) throw new CheckpointException(where + ": missing shape array");
        long[] shape = new long[sh.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0)
                throw new CheckpointException(where + ": shape entry " + i + " is " + d + ", expected a non-negative integer");
            shape[i] = d.asLong();
            elements = multiply(where, elements, shape[i]);
        }
        JsonNode off = t.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()
                || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber())
            throw new CheckpointException(where + ": data_offsets must be [begin, end] integers");
        long b = off.get(0).asLong(), e = off.get(1).asLong();
        if (b < 0 || e < b || e > dataLen)
            throw new CheckpointException(where + ": data_offsets [" + b + ", " + e + "] out of range: the data section holds "
                    + dataLen + " bytes (truncated file?)");
        long expected = multiply(where, elements, dtype.size);
        if (e - b != expected)
            throw new CheckpointException(where + ": " + dtype + " " + java.util.Arrays.toString(shape) + " needs " + expected
                    + " bytes but data_offsets [" + b + ", " + e + "] hold " + (e - b));
        return new TensorInfo(file, name, dtype, shape, dataStart + b, e - b);
    }

    private static long multiply(String where, long a, long b) throws CheckpointException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException x) {
            throw new CheckpointException(where + ": shape is too large (element count overflows)");
        }
    }

    private static void checkNoOverlap(Path file, Iterable<TensorInfo> tensors) throws CheckpointException {
        List<TensorInfo> sorted = new ArrayList<>();
        for (TensorInfo t : tensors) if (t.byteLength() > 0) sorted.add(t);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1), b = sorted.get(i);
            if (b.begin() < a.begin() + a.byteLength())
                throw new CheckpointException(file + ": tensors '" + a.name() + "' and '" + b.name() + "' overlap (bytes "
                        + a.begin() + ".." + (a.begin() + a.byteLength()) + " and " + b.begin() + ".." + (b.begin() + b.byteLength()) + ")");
        }
    }
}
