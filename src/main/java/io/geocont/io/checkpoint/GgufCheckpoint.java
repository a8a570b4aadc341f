package io.geocont.io.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a {@code .gguf} file as a {@link Checkpoint}: the store, its metadata as the model
 * config (a GGUF file carries its own; a config.json beside it may belong to another model),
 * and the llama.cpp naming's layer stack checked against {@code <arch>.block_count}.
 */
final class GgufCheckpoint {
    private static final Pattern BLOCK = Pattern.compile("^blk\\.(\\d{1,9})\\.");

    private GgufCheckpoint() { }

    static boolean accepts(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    static Checkpoint open(Path path) throws CheckpointException {
        GgufStore store = GgufStore.open(path);
        try {
            if (store.metadata().get("split.count") instanceof Long n && n > 1)
                throw new CheckpointException(path + ": one part of a " + n + "-part split GGUF; merge the parts first"
                        + " (llama-gguf-split --merge FIRST-PART OUT.gguf)");
            ModelConfig config = GgufConfig.read(store);
            if (config != null && config.layers() > 0) checkBlockCount(store, config);
            Architecture arch = Architecture.detect(store, config);
            String name = path.getFileName() + (config != null ? " (" + config.modelType() + ")" : "");
            return new Checkpoint(name, store, config, arch);
        } catch (CheckpointException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static void checkBlockCount(GgufStore store, ModelConfig config) throws CheckpointException {
        TreeSet<Integer> blocks = new TreeSet<>();
        for (String name : store.names()) {
            Matcher m = BLOCK.matcher(name);
            if (m.find()) blocks.add(Integer.parseInt(m.group(1)));
        }
        int found = blocks.isEmpty() ? 0 : blocks.last() + 1;
        if (found != config.layers())
            throw new CheckpointException(store.describe() + ": " + config.modelType() + ".block_count = " + config.layers()
                    + " but the file holds tensors for " + found + " blocks" + (blocks.isEmpty() ? "" : " (blk." + blocks.first()
                    + " .. blk." + blocks.last() + ")"));
    }
}
