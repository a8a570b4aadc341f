package io.geocont.io.checkpoint;

import io.geocont.linalg.F32Rows;
import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One safetensors file or a sharded checkpoint ({@code model.safetensors.index.json} naming a
 * shard per tensor). Files are memory-mapped into one arena; tensors are converted to float32
 * only when read, so the resident cost is one matrix at a time.
 */
public final class SafetensorsStore implements WeightStore {
    private final String description;
    private final Arena arena = Arena.ofShared();
    private final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    private final Map<Path, MemorySegment> files = new LinkedHashMap<>();

    private SafetensorsStore(String description) { this.description = description; }

    /** A single {@code .safetensors} file. */
    public static SafetensorsStore open(Path file) throws CheckpointException {
        SafetensorsStore s = new SafetensorsStore(file.toString());
        try {
            s.tensors.putAll(s.map(file));
            return s;
        } catch (CheckpointException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A sharded checkpoint described by its index JSON ({"weight_map": {tensor: shard file}}). */
    public static SafetensorsStore openIndex(Path index) throws CheckpointException {
        Map<String, Path> weightMap = ShardIndex.read(index);
        SafetensorsStore s = new SafetensorsStore(index.toString());
        try {
            Map<Path, Map<String, TensorInfo>> shards = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : weightMap.entrySet()) {
                Path shard = e.getValue();
                Map<String, TensorInfo> inShard = shards.get(shard);
                if (inShard == null) {
                    inShard = s.map(shard);
                    shards.put(shard, inShard);
                }
                TensorInfo t = inShard.get(e.getKey());
                if (t == null)
                    throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is listed in " + shard.getFileName()
                            + " but that shard does not hold it");
                s.tensors.put(e.getKey(), t);
            }
            return s;
        } catch (CheckpointException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private Map<String, TensorInfo> map(Path file) throws CheckpointException {
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot open: " + e, e);
        }
        files.put(file, seg);
        return SafetensorsHeader.parse(file, seg);
    }

    @Override public String describe() { return description; }

    @Override public Collection<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }

    @Override public boolean contains(String name) { return tensors.containsKey(name); }

    @Override public long[] shape(String name) throws CheckpointException { return info(name).shape().clone(); }

    public TensorInfo info(String name) throws CheckpointException {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new CheckpointException(description + ": no tensor named '" + name + "'");
        return t;
    }

    @Override public Matrix readMatrix(String name) throws CheckpointException {
        TensorInfo t = info(name);
        return TensorReader.read(files.get(t.file()), t);
    }

    @Override public GramOperator readOperand(String name) throws CheckpointException {
        TensorInfo t = info(name);
        if ((t.dtype() != Dtype.BF16 && t.dtype() != Dtype.F16 && t.dtype() != Dtype.F32) || t.rank() != 2) return readMatrix(name);
        MemorySegment file = files.get(t.file());
        int[] shape = TensorReader.checkedShape(file, t);
        if (t.dtype() == Dtype.F32) // read in place too: a copy would cost a pass over the tensor and its size in heap
            return F32Rows.inPlace(file.asSlice(t.begin(), t.byteLength()), shape[0], shape[1],
                    "f32 tensor " + t.name() + " " + shape[0] + "x" + shape[1] + " (" + t.file().getFileName() + ")");
        return new StoredHalfMatrix(file.asSlice(t.begin(), t.byteLength()), shape[0], shape[1], t.dtype(),
                t.dtype().name().toLowerCase() + " tensor " + t.name() + " " + shape[0] + "x" + shape[1] + " (" + t.file().getFileName() + ")");
    }

    @Override public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
