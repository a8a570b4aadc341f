package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch checkpoint written by torch.save ({@code pytorch_model.bin}, {@code .pt}, {@code .pth})
 * or a sharded one ({@code pytorch_model.bin.index.json}). Files are memory-mapped; the pickle
 * is read by a restricted unpickler that never runs code; each matrix is converted to float32
 * from its mapped storage only when asked for.
 */
public final class TorchStore implements WeightStore {
    private static final List<String> SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl", ".bin.index.json", ".pt.index.json");

    private final String description;
    private final Arena arena;
    private final Map<String, TorchArchive.Placed> tensors = new LinkedHashMap<>();

    private TorchStore(String description, Arena arena) {
        this.description = description;
        this.arena = arena;
    }

    /**
     * True for what this store opens: a torch.save file or shard index by its name, or any other
     * file that starts like a zip archive or a pickle (torch.save does not insist on an extension;
     * a pickle is read only to refuse it with the reason).
     */
    public static boolean accepts(Path file) {
        String n = file.getFileName().toString();
        if (SUFFIXES.stream().anyMatch(n::endsWith)) return true;
        if (n.endsWith(".json") || n.endsWith(".safetensors") || n.endsWith(".onnx") || !Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            boolean zip = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
            boolean pickle = head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
            return zip || pickle;
        } catch (IOException e) {
            return false;
        }
    }

    /** A torch.save file, or a shard index JSON naming one torch.save file per tensor. */
    public static TorchStore open(Path path) throws CheckpointException {
        TorchStore s = new TorchStore(path.toString(), Arena.ofShared());
        try {
            if (path.getFileName().toString().endsWith(".json")) s.addShards(path);
            else s.tensors.putAll(TorchArchive.read(path, s.map(path)));
            return s;
        } catch (CheckpointException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A store over a file already in memory (tests and fuzzing); {@code name} appears in messages. */
    static TorchStore of(Path name, MemorySegment bytes) throws CheckpointException {
        TorchStore s = new TorchStore(name.toString(), null);
        s.tensors.putAll(TorchArchive.read(name, bytes));
        return s;
    }

    private void addShards(Path index) throws CheckpointException {
        Map<Path, Map<String, TorchArchive.Placed>> shards = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : ShardIndex.read(index).entrySet()) {
            Path shard = e.getValue();
            Map<String, TorchArchive.Placed> inShard = shards.get(shard);
            if (inShard == null) {
                inShard = TorchArchive.read(shard, map(shard));
                shards.put(shard, inShard);
            }
            TorchArchive.Placed t = inShard.get(e.getKey());
            if (t == null)
                throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is listed in " + shard.getFileName()
                        + " but that shard does not hold it");
            tensors.put(e.getKey(), t);
        }
    }

    private MemorySegment map(Path file) throws CheckpointException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot open: " + e, e);
        }
    }

    @Override public String describe() { return description; }

    @Override public Collection<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }

    @Override public boolean contains(String name) { return tensors.containsKey(name); }

    private TorchArchive.Placed placed(String name) throws CheckpointException {
        TorchArchive.Placed t = tensors.get(name);
        if (t == null) throw new CheckpointException(description + ": no tensor named '" + name + "'");
        return t;
    }

    @Override public long[] shape(String name) throws CheckpointException { return placed(name).view().shape().clone(); }

    /** The tensor's element type as torch names it ({@code bfloat16}), for messages and tests. */
    String dtype(String name) throws CheckpointException { return placed(name).view().dtype().toString(); }

    @Override public Matrix readMatrix(String name) throws CheckpointException { return StridedReader.read(placed(name)); }

    @Override public void close() {
        if (arena != null && arena.scope().isAlive()) arena.close();
    }
}
