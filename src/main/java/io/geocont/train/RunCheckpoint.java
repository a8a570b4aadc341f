package io.geocont.train;

import io.geocont.io.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The one checkpoint format of geocont's training loops (MLP and transformer), in one file
 * written atomically: magic "GCRUNCK1", a JSON state block (the loop's own record: epoch or
 * step, RNG state, records so far, ...), named float32 arrays (parameters, optimizer state,
 * monitor state), then a CRC32 of everything before it. Big-endian.
 */
public final class RunCheckpoint {
    static final byte[] MAGIC = "GCRUNCK1".getBytes(StandardCharsets.US_ASCII);

    private RunCheckpoint() { }

    public static void write(Path file, Object state, Map<String, float[]> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        byte[] json = AtomicFiles.json().writeValueAsBytes(state);
        out.writeInt(json.length);
        out.write(json);
        out.writeInt(arrays.size());
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            float[] a = e.getValue();
            out.writeInt(a.length);
            byte[] raw = new byte[a.length * 4];
            for (int i = 0, j = 0; i < a.length; i++, j += 4) {
                int b = Float.floatToRawIntBits(a[i]);
                raw[j] = (byte) (b >>> 24); raw[j + 1] = (byte) (b >>> 16); raw[j + 2] = (byte) (b >>> 8); raw[j + 3] = (byte) b;
            }
            out.write(raw);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        AtomicFiles.writeBytes(file, bytes.toByteArray());
    }

    /** What {@link #read} returns. */
    public record Loaded<S>(S state, Map<String, float[]> arrays) {
        /** The array {@code name}, which must hold {@code size} values. */
        public float[] array(Path file, String name, long size) throws IOException {
            float[] a = arrays.get(name);
            if (a == null) throw new IOException(file + ": checkpoint lacks '" + name + "' (different model or optimizer?)");
            if (a.length != size) throw new IOException(file + ": '" + name + "' has " + a.length + " values, expected " + size);
            return a;
        }
    }

    /** Reads a checkpoint whose state block is a {@code stateType}. */
    public static <S> Loaded<S> read(Path file, Class<S> stateType) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 12) throw new IOException(file + ": checkpoint truncated (" + all.length + " bytes)");
        for (int i = 0; i < MAGIC.length; i++)
            if (all[i] != MAGIC[i]) throw new IOException(file + ": offset 0: not a geocont run checkpoint (bad magic)");
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = new DataInputStream(new ByteArrayInputStream(all, all.length - 8, 8)).readLong();
        if (stored != crc.getValue())
            throw new IOException(file + ": checkpoint checksum mismatch (file damaged); delete it to restart the run");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
        in.skipNBytes(MAGIC.length);
        int jsonLen = in.readInt();
        if (jsonLen < 0 || jsonLen > all.length) throw new IOException(file + ": offset 8: bad state length " + jsonLen);
        S state = AtomicFiles.json().readValue(in.readNBytes(jsonLen), stateType);
        int n = in.readInt();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (int t = 0; t < n; t++) {
            String name = in.readUTF();
            int len = in.readInt();
            if (len < 0 || (long) len * 4 > in.available())
                throw new IOException(file + ": array '" + name + "' claims " + len + " floats, only " + in.available() + " bytes left");
            byte[] raw = in.readNBytes(len * 4);
            float[] a = new float[len];
            for (int i = 0, j = 0; i < len; i++, j += 4)
                a[i] = Float.intBitsToFloat(((raw[j] & 0xff) << 24) | ((raw[j + 1] & 0xff) << 16) | ((raw[j + 2] & 0xff) << 8) | (raw[j + 3] & 0xff));
            arrays.put(name, a);
        }
        return new Loaded<>(state, arrays);
    }
}
