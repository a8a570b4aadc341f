package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;

/**
 * The tensors of one GGUF file (llama.cpp's format, versions 2 and 3) under their GGUF names
 * ({@code blk.0.attn_q.weight}). The file is memory-mapped; a tensor is dequantized to float32
 * only when read, so the resident cost is one matrix at a time. Shapes and matrices are in
 * state-dict order (GGUF's ne[] reversed): a weight is out x in.
 */
public final class GgufStore implements WeightStore {
    private final Path file;
    private final Arena arena; // null when the bytes were handed in (tests, fuzzing)
    private final MemorySegment bytes;
    private final GgufHeader header;

    private GgufStore(Path file, Arena arena, MemorySegment bytes, GgufHeader header) {
        this.file = file;
        this.arena = arena;
        this.bytes = bytes;
        this.header = header;
    }

    public static GgufStore open(Path file) throws CheckpointException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            } catch (IOException e) {
                throw new CheckpointException(file + ": cannot open: " + e, e);
            }
            return new GgufStore(file, arena, seg, GgufHeader.parse(file, seg));
        } catch (CheckpointException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** A store over bytes already in memory, named {@code file} in messages. */
    static GgufStore of(Path file, MemorySegment bytes) throws CheckpointException {
        return new GgufStore(file, null, bytes, GgufHeader.parse(file, bytes));
    }

    int version() { return header.version(); }

    GgufMetadata metadata() { return header.metadata(); }

    @Override public String describe() { return file.toString(); }

    @Override public Collection<String> names() { return Collections.unmodifiableSet(header.tensors().keySet()); }

    @Override public boolean contains(String name) { return header.tensors().containsKey(name); }

    GgufTensor tensor(String name) throws CheckpointException {
        GgufTensor t = header.tensors().get(name);
        if (t == null) throw new CheckpointException(file + ": no tensor named '" + name + "'");
        return t;
    }

    @Override public long[] shape(String name) throws CheckpointException { return tensor(name).shape(); }

    @Override public Matrix readMatrix(String name) throws CheckpointException {
        return GgufTensorReader.read(file, bytes, tensor(name));
    }

    @Override public void close() {
        if (arena != null && arena.scope().isAlive()) arena.close();
    }
}
