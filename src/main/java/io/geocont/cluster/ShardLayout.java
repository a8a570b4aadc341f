package io.geocont.cluster;

import io.geocont.experiments.Shard;

import java.nio.file.Path;

/**
 * Where a sharded sweep keeps its parts: shard i of a grid whose merged results go to OUT lives
 * in OUT/shards/i. Job scripts pass {@code --out OUT/shards/{shard}}; the sweep fills in the
 * shard it resolved.
 */
public final class ShardLayout {
    public static final String PLACEHOLDER = "{shard}";
    public static final String SHARDS = "shards";

    private ShardLayout() { }

    public static Path shardDir(Path out, int index) {
        return out.resolve(SHARDS).resolve(Integer.toString(index));
    }

    /** The --out value every array task gets: OUT/shards/{shard}. */
    public static String outPattern(Path out) {
        return out.resolve(SHARDS).resolve(PLACEHOLDER).toString();
    }

    /** {@code out} with {shard} replaced by the shard's number (unchanged when it has none). */
    public static Path fill(Path out, Shard shard) {
        String s = out.toString();
        return s.contains(PLACEHOLDER) ? Path.of(s.replace(PLACEHOLDER, Integer.toString(shard.index()))) : out;
    }
}
