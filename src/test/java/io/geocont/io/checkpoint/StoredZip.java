package io.geocont.io.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes uncompressed zip archives the way torch.save does, with knobs to break them: ZIP64
 * central-directory fields, a lying entry size, a compression method.
 */
final class StoredZip {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private boolean zip64;
    private String lyingEntry;
    private long lyingSize;
    private String compressedEntry;

    StoredZip() { }

    StoredZip(Map<String, byte[]> entries) { this.entries.putAll(entries); }

    StoredZip put(String name, byte[] data) { entries.put(name, data); return this; }

    StoredZip remove(String name) { entries.remove(name); return this; }

    /** Central-directory sizes and offsets as 0xffffffff with a ZIP64 extra field, plus ZIP64 end records. */
    StoredZip zip64() { zip64 = true; return this; }

    /** The central directory claims {@code size} bytes for {@code name} (its data stays as it is). */
    StoredZip lie(String name, long size) { lyingEntry = name; lyingSize = size; return this; }

    /** Marks {@code name} as deflated (method 8) without compressing it. */
    StoredZip compressed(String name) { compressedEntry = name; return this; }

    /** The prefixed pickle of a torch archive replaced. */
    static StoredZip withPickle(Map<String, byte[]> torchEntries, byte[] pickle) {
        StoredZip z = new StoredZip(torchEntries);
        for (String n : torchEntries.keySet()) if (n.endsWith("/data.pkl")) z.put(n, pickle);
        return z;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8), data = e.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            long local = out.size();
            int method = e.getKey().equals(compressedEntry) ? 8 : 0;
            // torch pads the local extra field so data starts on a 64-byte boundary; mimic it with an unknown field id
            int pad = (int) ((64 - (local + 30 + name.length + 4) % 64) % 64);
            write(out, le(30).putInt(ZipDirectory.LOCAL_SIG).putShort((short) 20).putShort((short) 0).putShort((short) method)
                    .putInt(0).putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                    .putShort((short) name.length).putShort((short) (4 + pad)));
            out.writeBytes(name);
            write(out, le(4).putShort((short) 0x4246).putShort((short) pad));
            out.writeBytes(new byte[pad]);
            out.writeBytes(data);
            long size = e.getKey().equals(lyingEntry) ? lyingSize : data.length;
            byte[] extra = zip64 ? le(28).putShort((short) 1).putShort((short) 24).putLong(size).putLong(size).putLong(local).array() : new byte[0];
            int small = zip64 ? -1 : (int) size;
            write(cd, le(46).putInt(ZipDirectory.CENTRAL_SIG).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                    .putShort((short) method).putInt(0).putInt((int) crc.getValue()).putInt(small).putInt(small)
                    .putShort((short) name.length).putShort((short) extra.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(zip64 ? -1 : (int) local));
            cd.writeBytes(name);
            cd.writeBytes(extra);
        }
        long cdOffset = out.size();
        out.writeBytes(cd.toByteArray());
        int n = entries.size();
        if (zip64) {
            long z64 = out.size();
            write(out, le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(n).putLong(n).putLong(cd.size()).putLong(cdOffset));
            write(out, le(20).putInt(0x07064b50).putInt(0).putLong(z64).putInt(1));
        }
        write(out, le(22).putInt(ZipDirectory.END_SIG).putShort((short) 0).putShort((short) 0)
                .putShort((short) (zip64 ? -1 : n)).putShort((short) (zip64 ? -1 : n))
                .putInt(zip64 ? -1 : cd.size()).putInt(zip64 ? -1 : (int) cdOffset).putShort((short) 0));
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    private static void write(ByteArrayOutputStream out, ByteBuffer b) { out.writeBytes(b.array()); }
}
