package io.geocont.io.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocont.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes small float64 safetensors files (singular vectors for peers to compare with), atomically. */
public final class SafetensorsWriter {
    private final Map<String, Object> header = new LinkedHashMap<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    /** Adds rows (each the same length) as one F64 tensor of shape [rows, cols]. */
    public SafetensorsWriter addF64(String name, double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        ByteBuffer b = ByteBuffer.allocate(rows.length * cols * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] r : rows) {
            if (r.length != cols) throw new IllegalArgumentException(name + ": ragged rows");
            for (double x : r) b.putDouble(x);
        }
        long begin = data.size();
        data.writeBytes(b.array());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("dtype", "F64");
        t.put("shape", List.of(rows.length, cols));
        t.put("data_offsets", List.of(begin, (long) data.size()));
        header.put(name, t);
        return this;
    }

    public void write(Path file) throws IOException {
        byte[] json = new ObjectMapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // keep the data 8-byte aligned, as the reference writer does
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + pad + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length + pad).put(json);
        for (int i = 0; i < pad; i++) out.put((byte) ' ');
        out.put(data.toByteArray());
        AtomicFiles.writeBytes(file, out.array());
    }
}
