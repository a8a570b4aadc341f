package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One torch.save file (the zip format of torch >= 1.6): {@code <folder>/data.pkl} describes the
 * object, {@code <folder>/data/<key>} holds each storage's raw bytes, {@code byteorder} says
 * their endianness. Unpickles data.pkl with {@link TorchGlobals}, finds the state dict, and
 * checks every tensor's view against its storage entry, so reading a matrix later only converts.
 */
final class TorchArchive {
    /** A tensor whose storage starts at absolute byte {@code storageBegin} of {@code bytes} (the mapped file). */
    record Placed(Path file, String name, TorchTensor view, MemorySegment bytes, long storageBegin) {
        String where() { return file + ": tensor '" + name + "'"; }
    }

    /** The first pickle of the pre-1.6 format is this magic number. */
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    private TorchArchive() { }

    static Map<String, Placed> read(Path file, MemorySegment bytes) throws CheckpointException {
        if (!ZipDirectory.looksLikeZip(bytes)) throw notZip(file, bytes);
        ZipDirectory zip = ZipDirectory.read(file, bytes);
        String prefix = folder(file, zip);
        checkByteOrder(file, zip, prefix);
        ZipDirectory.Entry pkl = zip.entries().get(prefix + "data.pkl");
        Object root = RestrictedUnpickler.load(file + ": " + pkl.name(), zip.slice(pkl), new TorchGlobals());
        Map<String, TorchTensor> tensors = StateDicts.find(root);
        if (tensors.isEmpty())
            throw new CheckpointException(file + ": holds no tensors (the pickled object is " + PyValues.describe(root)
                    + (root instanceof Map<?, ?> m ? " with keys " + m.keySet().stream().limit(10).map(PyValues::describe).toList() : "") + ")");
        Map<String, Placed> out = new LinkedHashMap<>();
        for (Map.Entry<String, TorchTensor> e : tensors.entrySet()) out.put(e.getKey(), place(file, zip, prefix, e.getKey(), e.getValue(), bytes));
        return out;
    }

    /** Why a file that is not a zip cannot be read: the legacy format, a bare pickle, or something else. */
    private static CheckpointException notZip(Path file, MemorySegment bytes) throws CheckpointException {
        if (bytes.byteSize() >= 2 && (bytes.get(ValueLayout.JAVA_BYTE, 0) & 0xff) == 0x80) {
            // The restricted unpickler refuses a malicious bare pickle by name here; a legacy file starts with a harmless magic number.
            Object first = RestrictedUnpickler.load(file.toString(), bytes, new TorchGlobals());
            if (LEGACY_MAGIC.equals(first))
                return new CheckpointException(file + ": legacy torch.save format (torch < 1.6 or _use_new_zipfile_serialization=False)"
                        + " is not supported; re-save it with torch >= 1.6 (torch.save(torch.load(f), f2)) or convert it to safetensors");
            return new CheckpointException(file + ": a bare pickle (" + PyValues.describe(first) + "), not a torch.save zip archive");
        }
        byte[] head = bytes.asSlice(0, Math.min(4, bytes.byteSize())).toArray(ValueLayout.JAVA_BYTE);
        return new CheckpointException(file + ": not a PyTorch checkpoint: expected a torch.save zip archive (bytes 'PK\\3\\4'), found "
                + hex(head));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x ", x & 0xff));
        return b.length == 0 ? "an empty file" : "bytes " + s.toString().trim();
    }

    /** The archive's folder ("archive/", or the name the file was saved under): where data.pkl is. */
    private static String folder(Path file, ZipDirectory zip) throws CheckpointException {
        List<String> pkls = zip.entries().keySet().stream().filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9).toList();
        if (pkls.size() != 1)
            throw new CheckpointException(file + ": a zip archive but not a torch.save checkpoint: expected one <folder>/data.pkl, found "
                    + (pkls.isEmpty() ? "none" : pkls));
        String prefix = pkls.get(0).substring(0, pkls.get(0).length() - 8);
        if (zip.entries().containsKey(prefix + "constants.pkl"))
            throw new CheckpointException(file + ": a TorchScript archive (torch.jit.save), not a torch.save state dict; "
                    + "save model.state_dict() with torch.save instead");
        return prefix;
    }

    private static void checkByteOrder(Path file, ZipDirectory zip, String prefix) throws CheckpointException {
        ZipDirectory.Entry e = zip.entries().get(prefix + "byteorder");
        if (e == null) return; // written since torch 1.10; older archives are little-endian
        if (e.size() > 16) throw new CheckpointException(file + ": " + e.name() + " holds " + e.size() + " bytes, expected 'little' or 'big'");
        String order = new String(zip.slice(e).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little"))
            throw new CheckpointException(file + ": byteorder is '" + order + "'; only little-endian checkpoints are supported"
                    + " (re-save it on a little-endian machine)");
    }

    /** Checks the view against its storage entry: the entry exists, is stored, has the declared size and holds every element. */
    private static Placed place(Path file, ZipDirectory zip, String prefix, String name, TorchTensor t, MemorySegment bytes)
            throws CheckpointException {
        String where = file + ": tensor '" + name + "'";
        TorchTensor.Storage s = t.storage();
        String entryName = prefix + "data/" + s.key();
        ZipDirectory.Entry e = zip.entries().get(entryName);
        if (e == null) throw new CheckpointException(where + ": its storage '" + s.key() + "' (entry " + entryName + ") is missing from the archive");
        zip.requireStored(e);
        if (e.size() != s.bytes())
            throw new CheckpointException(where + ": storage '" + s.key() + "' is declared as " + s.bytes() / s.dtype().size + " x "
                    + s.dtype() + " = " + s.bytes() + " bytes, but entry " + entryName + " holds " + e.size() + " bytes");
        long elements, last = t.offset();
        try {
            elements = t.elements();
            for (int i = 0; i < t.shape().length; i++)
                if (t.shape()[i] > 0) last = Math.addExact(last, Math.multiplyExact(t.shape()[i] - 1, t.stride()[i]));
            Math.multiplyExact(Math.addExact(last, 1), t.dtype().size);
        } catch (ArithmeticException x) {
            throw new CheckpointException(where + ": size " + Arrays.toString(t.shape()) + " stride " + Arrays.toString(t.stride())
                    + " overflows a 64-bit element index");
        }
        long capacity = s.bytes() / t.dtype().size;
        if (elements > 0 && last >= capacity)
            throw new CheckpointException(where + ": view " + t.dtype() + " size " + Arrays.toString(t.shape()) + " stride "
                    + Arrays.toString(t.stride()) + " offset " + t.offset() + " reaches element " + last + " but storage '" + s.key()
                    + "' holds " + capacity + " " + t.dtype() + " elements");
        return new Placed(file, name, t, bytes, e.dataOffset());
    }
}
