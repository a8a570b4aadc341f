package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of an ONNX export under their PyTorch state-dict names. Exporters store a Linear's
 * weight as the second input of a MatMul, in x out, under a meaningless name such as
 * {@code onnx::MatMul_1234}; the projection is named by the bias of the Add that consumes the
 * MatMul's output ({@code encoder.layer.0.attention.self.query.bias}) or, failing that, by the
 * node's module path ({@code /encoder/layer.0/attention/self/query/MatMul}). Each such weight is
 * offered as {@code <module>.weight}, transposed back to out x in. Gemm weights follow transB.
 */
public final class OnnxStore implements WeightStore {
    private record Entry(OnnxGraph.Initializer init, boolean transpose) { }

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private OnnxStore(Path file) { this.file = file; }

    public static OnnxStore open(Path file) throws CheckpointException {
        return of(file, OnnxReader.read(file));
    }

    /** A store over an already parsed graph (tests and fuzzing build graphs in memory). */
    public static OnnxStore of(Path file, OnnxGraph g) {
        OnnxStore s = new OnnxStore(file);
        for (OnnxGraph.Initializer t : g.initializers().values()) s.entries.put(t.name(), new Entry(t, false));
        Map<String, List<OnnxGraph.Node>> consumers = new HashMap<>();
        for (OnnxGraph.Node n : g.nodes())
            for (String in : n.inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        for (OnnxGraph.Node n : g.nodes()) {
            boolean matmul = n.opType().equals("MatMul"), gemm = n.opType().equals("Gemm");
            if (!(matmul || gemm) || n.inputs().size() < 2) continue;
            OnnxGraph.Initializer w = g.initializers().get(n.inputs().get(1));
            if (w == null || w.dims().length != 2) continue;
            String module = null;
            if (gemm && n.inputs().size() >= 3) module = stripBias(g.initializers().get(n.inputs().get(2)));
            if (module == null && !n.outputs().isEmpty())
                for (OnnxGraph.Node c : consumers.getOrDefault(n.outputs().get(0), List.of())) {
                    if (!c.opType().equals("Add")) continue;
                    for (String in : c.inputs()) {
                        String m = stripBias(g.initializers().get(in));
                        if (m != null) module = m;
                    }
                }
            if (module == null) module = modulePath(n.name());
            if (module == null && w.name().endsWith(".weight")) module = w.name().substring(0, w.name().length() - 7);
            if (module == null) continue;
            boolean transpose = !gemm || n.intAttributes().getOrDefault("transB", 0L) == 0L;
            s.entries.put(module + ".weight", new Entry(w, transpose));
        }
        return s;
    }

    private static String stripBias(OnnxGraph.Initializer b) {
        if (b == null || b.dims().length != 1 || !b.name().endsWith(".bias")) return null;
        return b.name().substring(0, b.name().length() - 5);
    }

    /** "/encoder/layer.0/attention/self/query/MatMul" -> "encoder.layer.0.attention.self.query". */
    static String modulePath(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) return null;
        int last = nodeName.lastIndexOf('/');
        if (last <= 1) return null;
        String op = nodeName.substring(last + 1);
        if (!(op.equals("MatMul") || op.equals("Gemm"))) return null; // "MatMul_1" is an activation product
        return nodeName.substring(1, last).replace('/', '.');
    }

    @Override public String describe() { return file.toString(); }

    @Override public Collection<String> names() { return Collections.unmodifiableSet(entries.keySet()); }

    @Override public boolean contains(String name) { return entries.containsKey(name); }

    private Entry entry(String name) throws CheckpointException {
        Entry e = entries.get(name);
        if (e == null) throw new CheckpointException(file + ": no tensor named '" + name + "'");
        return e;
    }

    @Override public long[] shape(String name) throws CheckpointException {
        Entry e = entry(name);
        long[] d = e.init.dims().clone();
        if (e.transpose) return new long[] {d[1], d[0]};
        return d;
    }

    @Override public Matrix readMatrix(String name) throws CheckpointException {
        Entry e = entry(name);
        OnnxGraph.Initializer t = e.init;
        if (t.dtype() == null)
            throw new CheckpointException(file + ": tensor '" + t.name() + "': ONNX data_type " + t.onnxType()
                    + " is not a readable weight type (expected FLOAT, FLOAT16, BFLOAT16 or DOUBLE, stored inline)");
        Matrix m = TensorReader.read(t.data(), new TensorInfo(file, t.name(), t.dtype(), t.dims(), t.begin(), t.byteLength()));
        return e.transpose ? m.transpose() : m;
    }

    @Override public void close() { }
}
