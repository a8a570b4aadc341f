package io.geocont.experiments.transformer;

import io.geocont.backend.Tensor;
import io.geocont.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One file holding a run's state: magic "GCTFM1", a JSON header (settings, step, log records),
 * then every tensor (parameters, then optimizer state) as length-prefixed float32 arrays.
 * Written atomically, so a killed run keeps its previous checkpoint.
 */
public final class TransformerCheckpoint {
    private static final byte[] MAGIC = "GCTFM1".getBytes(StandardCharsets.US_ASCII);

    private TransformerCheckpoint() { }

    public static void write(Path file, Map<String, Object> header, List<Tensor> tensors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            byte[] json = AtomicFiles.json().writeValueAsBytes(header);
            out.writeInt(json.length);
            out.write(json);
            out.writeInt(tensors.size());
            for (Tensor t : tensors) {
                float[] a = t.toArray();
                out.writeInt(a.length);
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(a.length * 4);
                buf.asFloatBuffer().put(a);
                out.write(buf.array());
            }
        }
        AtomicFiles.writeBytes(file, bytes.toByteArray());
    }

    /** Reads the header only. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> header(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            return readHeader(file, in);
        }
    }

    /** Reads the header and fills the tensors (which must match in number and size). */
    public static Map<String, Object> read(Path file, List<Tensor> tensors) throws IOException {
        try (DataInputStream in = open(file)) {
            Map<String, Object> header = readHeader(file, in);
            int n = in.readInt();
            if (n != tensors.size())
                throw new IOException("checkpoint " + file + " holds " + n + " tensors, this model needs " + tensors.size());
            for (int i = 0; i < n; i++) {
                int len = in.readInt();
                Tensor t = tensors.get(i);
                if (len != t.size())
                    throw new IOException("checkpoint " + file + " tensor " + i + " has " + len + " values, expected " + t.size());
                byte[] raw = in.readNBytes(len * 4);
                if (raw.length != len * 4) throw new IOException("checkpoint " + file + " is truncated in tensor " + i);
                float[] a = new float[len];
                java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(a);
                t.copyFrom(a);
            }
            return header;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readHeader(Path file, DataInputStream in) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException("not a geocont transformer checkpoint: " + file + " (bad magic at offset 0)");
        int len = in.readInt();
        if (len < 0 || len > (1 << 28)) throw new IOException("checkpoint " + file + ": bad header length " + len + " at offset 6");
        byte[] json = in.readNBytes(len);
        if (json.length != len) throw new IOException("checkpoint " + file + " is truncated in its header");
        return AtomicFiles.json().readValue(json, Map.class);
    }
}
