package io.geocont.io.checkpoint;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The globals a torch.save pickle may name, each mapped to Java code: {@code collections.OrderedDict},
 * the dense-tensor rebuild functions of {@code torch._utils}, {@code torch.Size}, the storage
 * classes and dtypes. Anything else ({@code posix.system}, {@code builtins.eval}, a pickled
 * {@code __main__.Net}) is refused by name when the pickle mentions it, before it could be called.
 * Persistent ids {@code ('storage', StorageClass, key, location, numel)} become
 * {@link TorchTensor.Storage} descriptions; the bytes stay in the archive.
 */
final class TorchGlobals implements PickleGlobals {
    private enum Fn { ORDERED_DICT, REBUILD_TENSOR, REBUILD_TENSOR_V2, REBUILD_TENSOR_V3, REBUILD_PARAMETER, REBUILD_FROM_TYPE_V2, SIZE, TENSOR_CLASS }

    /** {@code torch.FloatStorage} and friends; {@code torch.storage.UntypedStorage} counts bytes (uint8). */
    private record StorageClass(String name, TorchDtype dtype) {
        @Override public String toString() { return "torch." + name; }
    }

    private static final Map<String, Fn> FUNCTIONS = Map.of(
            "collections.OrderedDict", Fn.ORDERED_DICT,
            "torch._utils._rebuild_tensor", Fn.REBUILD_TENSOR,
            "torch._utils._rebuild_tensor_v2", Fn.REBUILD_TENSOR_V2,
            "torch._utils._rebuild_tensor_v3", Fn.REBUILD_TENSOR_V3,
            "torch._utils._rebuild_parameter", Fn.REBUILD_PARAMETER,
            "torch._utils._rebuild_parameter_with_state", Fn.REBUILD_PARAMETER,
            "torch._tensor._rebuild_from_type_v2", Fn.REBUILD_FROM_TYPE_V2,
            "torch.Size", Fn.SIZE,
            "torch._tensor.Tensor", Fn.TENSOR_CLASS,
            "torch.nn.parameter.Parameter", Fn.TENSOR_CLASS);

    private final Map<String, TorchTensor.Storage> storages = new HashMap<>();

    @Override public Object find(String module, String name) throws Refused {
        String full = module + "." + name;
        Fn fn = FUNCTIONS.get(full);
        if (fn != null) return fn;
        if ((module.equals("torch") || module.equals("torch.cuda")) && name.endsWith("Storage")) {
            TorchDtype t = TorchDtype.ofStorageClass(name);
            if (t != null) return new StorageClass(name, t);
        }
        if (full.equals("torch.storage.UntypedStorage") || full.equals("torch.UntypedStorage"))
            return new StorageClass("UntypedStorage", TorchDtype.UINT8);
        if (module.equals("torch")) {
            TorchDtype t = TorchDtype.ofTorchName(name);
            if (t != null) return t;
        }
        if (module.equals("torch") || module.startsWith("torch."))
            throw new Refused("global " + full + " is not supported (geocont reads dense tensors in dicts, lists and tuples)");
        // A capitalized name is a class by Python convention: most likely a whole model pickled with torch.save(model).
        boolean aClass = module.equals("__main__") || module.startsWith("__torch__") || Character.isUpperCase(name.isEmpty() ? 'x' : name.charAt(0));
        String hint = aClass ? "; this file pickles a Python object (e.g. torch.save(model)): save model.state_dict() instead" : "";
        throw new Refused("global " + full + " is refused: geocont rebuilds tensors and plain containers only and never runs"
                + " code a checkpoint names" + hint);
    }

    @Override public Object call(Object callable, List<Object> args) throws Refused {
        if (!(callable instanceof Fn fn)) throw new Refused(PyValues.describe(callable) + " is not callable");
        return switch (fn) {
            case ORDERED_DICT -> orderedDict(args);
            case REBUILD_TENSOR, REBUILD_TENSOR_V2 -> {
                need(args, 4, "_rebuild_tensor_v2(storage, offset, size, stride, ...)");
                Object s = args.get(0);
                if (!(s instanceof TorchTensor.Storage st)) throw new Refused("tensor storage is " + PyValues.describe(s) + ", expected a persistent id");
                yield tensor(st, st.dtype(), args);
            }
            case REBUILD_TENSOR_V3 -> {
                need(args, 7, "_rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks, dtype)");
                if (!(args.get(0) instanceof TorchTensor.Storage st)) throw new Refused("tensor storage is " + PyValues.describe(args.get(0)) + ", expected a persistent id");
                if (!(args.get(6) instanceof TorchDtype dt)) throw new Refused("_rebuild_tensor_v3 dtype is " + PyValues.describe(args.get(6)) + ", expected a torch dtype");
                yield tensor(st, dt, args);
            }
            case REBUILD_PARAMETER -> {
                need(args, 1, "_rebuild_parameter(data, ...)");
                if (!(args.get(0) instanceof TorchTensor t)) throw new Refused("a Parameter of " + PyValues.describe(args.get(0)) + ", expected a tensor");
                yield t;
            }
            case REBUILD_FROM_TYPE_V2 -> {
                need(args, 3, "_rebuild_from_type_v2(func, type, args, state)");
                if (args.get(1) != Fn.TENSOR_CLASS) throw new Refused("_rebuild_from_type_v2 of " + PyValues.describe(args.get(1)) + ", expected torch.Tensor or Parameter");
                if (!(args.get(2) instanceof PyValues.Tuple inner)) throw new Refused("_rebuild_from_type_v2 arguments are " + PyValues.describe(args.get(2)));
                if (args.get(0) == Fn.REBUILD_FROM_TYPE_V2) throw new Refused("nested _rebuild_from_type_v2 is not supported");
                yield call(args.get(0), inner.items);
            }
            case SIZE -> {
                need(args, 1, "torch.Size(tuple)");
                if (!(args.get(0) instanceof PyValues.Tuple t)) throw new Refused("torch.Size of " + PyValues.describe(args.get(0)));
                yield t;
            }
            case TENSOR_CLASS -> throw new Refused("torch.Tensor/Parameter cannot be instantiated here");
        };
    }

    private static void need(List<Object> args, int n, String signature) throws Refused {
        if (args.size() < n) throw new Refused(signature + " called with " + args.size() + " arguments");
    }

    private static Map<Object, Object> orderedDict(List<Object> args) throws Refused {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (args.isEmpty()) return m;
        if (args.size() == 1 && args.get(0) instanceof Map<?, ?> src) {
            m.putAll(src);
            return m;
        }
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (!(p instanceof PyValues.Tuple t) || t.size() != 2 || !PyValues.scalar(t.get(0)))
                    throw new Refused("OrderedDict item " + PyValues.describe(p) + " is not a (str, value) pair");
                m.put(t.get(0), t.get(1));
            }
            return m;
        }
        throw new Refused("OrderedDict called with " + args.size() + " arguments of types " + args.stream().map(PyValues::describe).toList());
    }

    private static TorchTensor tensor(TorchTensor.Storage storage, TorchDtype dtype, List<Object> args) throws Refused {
        long offset = integer(args.get(1), "storage offset");
        long[] shape = ints(args.get(2), "size"), stride = ints(args.get(3), "stride");
        if (shape.length != stride.length)
            throw new Refused("tensor size has " + shape.length + " dimensions but stride has " + stride.length);
        return new TorchTensor(storage, dtype, offset, shape, stride);
    }

    private static long[] ints(Object o, String what) throws Refused {
        if (!(o instanceof PyValues.Tuple t)) throw new Refused("tensor " + what + " is " + PyValues.describe(o) + ", expected a tuple of ints");
        if (t.size() > 64) throw new Refused("tensor " + what + " has " + t.size() + " dimensions");
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(t.get(i), what + "[" + i + "]");
        return out;
    }

    private static long integer(Object o, String what) throws Refused {
        if (o instanceof Long l && l >= 0) return l;
        throw new Refused("tensor " + what + " is " + PyValues.describe(o) + ", expected a non-negative 64-bit int");
    }

    @Override public Object persistentLoad(Object pid) throws Refused {
        if (!(pid instanceof PyValues.Tuple t) || t.size() < 5 || !"storage".equals(t.get(0)))
            throw new Refused("persistent id " + PyValues.describe(pid) + " is not ('storage', type, key, location, numel)");
        if (!(t.get(1) instanceof StorageClass sc)) throw new Refused("storage type is " + PyValues.describe(t.get(1)) + ", expected a torch storage class");
        if (!(t.get(2) instanceof String key)) throw new Refused("storage key is " + PyValues.describe(t.get(2)) + ", expected a str");
        if (!(t.get(4) instanceof Long numel) || numel < 0) throw new Refused("storage '" + key + "' size is " + PyValues.describe(t.get(4)));
        if (numel > Long.MAX_VALUE / sc.dtype().size) throw new Refused("storage '" + key + "' of " + numel + " elements overflows a byte count");
        // torch keeps the first description of a key; later references share it (tied weights, views).
        return storages.computeIfAbsent(key, k -> new TorchTensor.Storage(k, sc.dtype(), numel * sc.dtype().size));
    }

    @Override public void build(Object target, Object state) throws Refused {
        // OrderedDict state is its __dict__ (state_dict()'s _metadata); a tensor's is Python attributes. Neither holds weights.
        if (target instanceof Map<?, ?> || target instanceof TorchTensor) return;
        throw new Refused("BUILD on " + PyValues.describe(target) + " is not supported");
    }
}
