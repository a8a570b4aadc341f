package io.geocont.io.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sharded checkpoint's index ({@code model.safetensors.index.json},
 * {@code pytorch_model.bin.index.json}): {"weight_map": {tensor: shard file}}. Shards must lie in
 * the index's folder.
 */
final class ShardIndex {
    private ShardIndex() { }

    /** Tensor name -> shard path, in index order. */
    static Map<String, Path> read(Path index) throws CheckpointException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(index));
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot read the shard index: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject())
            throw new CheckpointException(index + ": expected {\"weight_map\": {tensor: shard}}");
        Path dir = index.toAbsolutePath().getParent();
        Map<String, Path> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual())
                throw new CheckpointException(index + ": tensor '" + e.getKey() + "': shard must be a file name");
            Path shard = dir.resolve(e.getValue().asText()).normalize();
            if (!shard.startsWith(dir))
                throw new CheckpointException(index + ": tensor '" + e.getKey() + "': shard " + e.getValue().asText() + " lies outside " + dir);
            out.put(e.getKey(), shard);
        }
        return out;
    }
}
