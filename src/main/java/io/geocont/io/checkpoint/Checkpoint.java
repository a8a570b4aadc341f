package io.geocont.io.checkpoint;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.LayerSource;
import io.geocont.linalg.Matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An opened checkpoint: its weights, its config.json (when there is one) and where each
 * projection lives. Accepts a {@code .safetensors} file, a shard index JSON, an {@code .onnx}
 * file, a torch.save file ({@code .bin}, {@code .pt}), or a Hugging Face folder holding any of them (plus config.json).
 */
public record Checkpoint(String name, WeightStore store, ModelConfig config, Architecture architecture) implements AutoCloseable {

    public static Checkpoint open(Path path) throws CheckpointException {
        if (!Files.exists(path)) throw new CheckpointException(path + ": no such file or folder");
        if (GgufCheckpoint.accepts(path)) return GgufCheckpoint.open(path); // a .gguf file carries its own config
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        Path weights = Files.isDirectory(path) ? weightsIn(path) : path;
        Path cfgFile = dir.resolve("config.json");
        ModelConfig config = Files.isRegularFile(cfgFile) ? ModelConfig.read(cfgFile) : null;
        String file = weights.getFileName().toString();
        WeightStore store;
        if (TorchStore.accepts(weights)) store = TorchStore.open(weights);
        else if (file.endsWith(".onnx")) store = OnnxStore.open(weights);
        else if (file.endsWith(".json")) store = SafetensorsStore.openIndex(weights);
        else if (file.endsWith(".safetensors")) store = SafetensorsStore.open(weights);
        else throw new CheckpointException(weights + ": unknown checkpoint type (expected .safetensors, .safetensors.index.json, .onnx, or torch.save's .bin/.pt)");
        try {
            Architecture arch = Architecture.detect(store, config);
            String name = config != null && !config.modelType().isEmpty()
                    ? dir.getFileName() + " (" + config.modelType() + ")" : String.valueOf(path.getFileName());
            return new Checkpoint(name, store, config, arch);
        } catch (CheckpointException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static final List<String> KNOWN_WEIGHTS = List.of("model.safetensors.index.json", "model.safetensors",
            "pytorch_model.bin.index.json", "pytorch_model.bin", "model.onnx", "onnx/model.onnx");

    /** Whether a folder holds weights of its own: a file {@link #weightsIn} would open, or several it would ask to choose from. */
    public static boolean hasWeights(Path dir) {
        try {
            return KNOWN_WEIGHTS.stream().anyMatch(n -> Files.isRegularFile(dir.resolve(n))) || !weightFiles(dir).isEmpty();
        } catch (CheckpointException e) {
            return false;
        }
    }

    /** The weights file of a Hugging Face folder: the shard index, model.safetensors, pytorch_model.bin (or its index), one .safetensors, or an .onnx. */
    static Path weightsIn(Path dir) throws CheckpointException {
        for (String n : KNOWN_WEIGHTS)
            if (Files.isRegularFile(dir.resolve(n))) return dir.resolve(n);
        List<Path> st = weightFiles(dir);
        List<Path> idx = st.stream().filter(p -> p.toString().endsWith(".index.json")).toList();
        if (idx.size() == 1) return idx.get(0);
        if (st.size() == 1) return st.get(0);
        if (st.isEmpty()) throw new CheckpointException(dir + ": no .safetensors, shard index, pytorch_model.bin or .onnx file in this folder");
        throw new CheckpointException(dir + ": several weight files and no model.safetensors.index.json to tie them: " + st);
    }

    /** The .safetensors, shard-index and .onnx files directly in dir, sorted. */
    private static List<Path> weightFiles(Path dir) throws CheckpointException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".safetensors") || p.toString().endsWith(".safetensors.index.json")
                    || p.toString().endsWith(".onnx")).sorted().toList();
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list: " + e, e);
        }
    }

    public int layers() { return architecture.layers(); }

    public List<Projection> projections() { return architecture.projections(); }

    /** Projection {@code p} of {@code layer}, out x in. */
    public Matrix load(int layer, Projection p) throws CheckpointException { return architecture.load(store, layer, p); }

    /** Projection {@code p} of {@code layer}, out x in, read in its stored width where the store can (the analyzer's input). */
    public GramOperator loadOperand(int layer, Projection p) throws CheckpointException { return architecture.loadOperand(store, layer, p); }

    /** Every projection's layers [from, to) as lazy layer sources (index 0 = layer from), keyed q, k, v, o, gate, up, down. */
    public java.util.Map<String, LayerSource> stacks(int from, int to) {
        java.util.Map<String, LayerSource> out = new java.util.LinkedHashMap<>();
        for (Projection p : projections())
            out.put(p.key, new LayerSource() {
                @Override public int size() { return to - from; }
                @Override public GramOperator layer(int l) throws CheckpointException { return loadOperand(from + l, p); }
                @Override public String describe() { return name + " " + p.key; }
            });
        return out;
    }

    @Override public void close() { store.close(); }
}
