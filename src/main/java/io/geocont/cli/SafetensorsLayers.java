package io.geocont.cli;

import io.geocont.linalg.Matrix;
import io.geocont.io.checkpoint.CheckpointException;
import io.geocont.io.checkpoint.SafetensorsStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A layer stack for {@code geocont continuity}: the 2-D tensors of a safetensors file named by a pattern with {} for the layer. */
final class SafetensorsLayers {
    private SafetensorsLayers() { }

    static ContinuityCommand.Layers of(SafetensorsStore store, Path file, String pattern) throws CheckpointException {
        if (pattern == null || !pattern.contains("{}"))
            throw new IllegalArgumentException(file + ": a safetensors file needs --tensors PATTERN with {} for the layer index, e.g. "
                    + "--tensors 'model.layers.{}.self_attn.q_proj.weight' (or use geocont analyze for a whole model)");
        int at = pattern.indexOf("{}");
        Pattern re = Pattern.compile(Pattern.quote(pattern.substring(0, at)) + "(\\d+)" + Pattern.quote(pattern.substring(at + 2)));
        TreeMap<Integer, String> byLayer = new TreeMap<>();
        for (String name : store.names()) {
            Matcher m = re.matcher(name);
            if (m.matches()) byLayer.put(Integer.parseInt(m.group(1)), name);
        }
        if (byLayer.size() < 2)
            throw new IllegalArgumentException(file + ": " + byLayer.size() + " tensor(s) match '" + pattern + "'; continuity needs at least 2 layers");
        List<String> names = new ArrayList<>(byLayer.values());
        int expect = byLayer.firstKey();
        for (int l : byLayer.keySet())
            if (l != expect++) throw new IllegalArgumentException(file + ": layers matching '" + pattern + "' are not consecutive: " + byLayer.keySet());
        long[] shape = store.shape(names.get(0));
        for (String n : names) {
            long[] sh = store.shape(n);
            if (sh.length != 2) throw new IllegalArgumentException(file + ": tensor '" + n + "' has shape " + java.util.Arrays.toString(sh) + ", expected 2-D out x in");
            if (sh[0] != shape[0] || sh[1] != shape[1])
                throw new IllegalArgumentException(file + ": tensor '" + n + "' is " + sh[0] + "x" + sh[1] + " but '" + names.get(0)
                        + "' is " + shape[0] + "x" + shape[1] + "; a stack needs one shape");
        }
        return new ContinuityCommand.Layers() {
            public int size() { return names.size(); }
            public int rows() { return (int) shape[0]; }
            public int cols() { return (int) shape[1]; }
            public Matrix get(int l) throws IOException { return store.readMatrix(names.get(l)); }
            @Override public io.geocont.linalg.GramOperator layer(int l) throws IOException { return store.readOperand(names.get(l)); } // stored width
        };
    }
}
