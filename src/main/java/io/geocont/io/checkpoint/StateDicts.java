package io.geocont.io.checkpoint;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the weights in what a torch.save pickle holds: a state dict itself ({name: tensor}), a
 * training checkpoint that wraps one ({"model": ..., "optimizer": ...}, Lightning's
 * {"state_dict": ...}, DeepSpeed's {"module": ...}), or failing both every tensor anywhere,
 * named by its dotted path. Shared containers are visited once and depth is bounded, so a
 * cyclic or exponentially shared pickle costs linear time.
 */
final class StateDicts {
    /** Keys that wrap the model's state dict in common training checkpoints, most specific first. */
    static final List<String> WRAPPERS = List.of("state_dict", "model_state_dict", "model", "module", "net", "network");
    private static final int MAX_DEPTH = 32;

    private StateDicts() { }

    static Map<String, TorchTensor> find(Object root) {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        Object sd = unwrap(root, 0);
        if (sd instanceof Map<?, ?> m)
            for (Map.Entry<?, ?> e : m.entrySet())
                if (e.getValue() instanceof TorchTensor t) out.put(key(e.getKey()), t);
        if (out.isEmpty()) flatten(root, "", 0, out, new IdentityHashMap<>());
        return out;
    }

    /** The innermost dict that holds tensors directly, following wrapper keys; null if none does. */
    private static Object unwrap(Object o, int depth) {
        if (!(o instanceof Map<?, ?> m) || depth > 4) return null;
        for (Object v : m.values()) if (v instanceof TorchTensor) return m;
        for (String w : WRAPPERS) {
            Object inner = unwrap(m.get(w), depth + 1);
            if (inner != null) return inner;
        }
        return null;
    }

    private static void flatten(Object o, String path, int depth, Map<String, TorchTensor> out, Map<Object, Boolean> seen) {
        if (o instanceof TorchTensor t) {
            out.putIfAbsent(path.isEmpty() ? "tensor" : path, t);
            return;
        }
        boolean container = o instanceof Map<?, ?> || o instanceof List<?> || o instanceof PyValues.Tuple;
        if (!container || depth > MAX_DEPTH || seen.put(o, Boolean.TRUE) != null) return;
        String p = path.isEmpty() ? "" : path + ".";
        if (o instanceof Map<?, ?> m) for (Map.Entry<?, ?> e : m.entrySet()) flatten(e.getValue(), p + key(e.getKey()), depth + 1, out, seen);
        else if (o instanceof List<?> l) for (int i = 0; i < l.size(); i++) flatten(l.get(i), p + i, depth + 1, out, seen);
        else if (o instanceof PyValues.Tuple t) for (int i = 0; i < t.size(); i++) flatten(t.get(i), p + i, depth + 1, out, seen);
    }

    private static String key(Object k) {
        return k instanceof String s ? s : k instanceof Long || k instanceof java.math.BigInteger ? k.toString() : PyValues.describe(k);
    }
}
