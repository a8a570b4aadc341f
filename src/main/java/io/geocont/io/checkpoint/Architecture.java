package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.util.ArrayList;
import io.geocont.linalg.GramOperator;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each (layer, projection) lives in a checkpoint, found from the tensor names: the naming
 * family, the prefix before the layer list, the number of layers. {@link #load} returns every
 * projection out x in, undoing GPT-2's fused, transposed Conv1D storage, and checks the shape
 * against the model config (config.json, or a GGUF file's metadata) when there is one.
 */
public final class Architecture {

    /** Naming families: how a layer's projections are spelled and stored. */
    public enum Family {
        /** Llama, Mistral, Qwen2/Qwen3, Gemma: {prefix}layers.N.self_attn.q_proj.weight, mlp.gate_proj ... (out x in). */
        LLAMA("layers\\.(\\d+)\\.self_attn\\.q_proj\\.weight", List.of(Projection.values())),
        /** GPT-2: {prefix}h.N.attn.c_attn.weight fused Q|K|V, every weight in x out (Conv1D). */
        GPT2("h\\.(\\d+)\\.attn\\.c_attn\\.weight",
                List.of(Projection.Q, Projection.K, Projection.V, Projection.O, Projection.UP, Projection.DOWN)),
        /** BERT-style encoders: {prefix}encoder.layer.N.attention.self.query.weight ... (out x in). */
        BERT("encoder\\.layer\\.(\\d+)\\.attention\\.self\\.query\\.weight",
                List.of(Projection.Q, Projection.K, Projection.V, Projection.O, Projection.UP, Projection.DOWN)),
        /** llama.cpp's GGUF names, the same for every architecture: blk.N.attn_q.weight ... ffn_down (out x in once read). */
        LLAMA_CPP("blk\\.(\\d+)\\.attn_q\\.weight", List.of(Projection.values()));

        final Pattern marker;
        final List<Projection> projections;

        Family(String marker, List<Projection> projections) {
            this.marker = Pattern.compile("^(.*?)" + marker + "$");
            this.projections = projections;
        }
    }

    private final Family family;
    private final String prefix;
    private final int layers;
    private final ModelConfig config; // may be null
    private final List<Projection> projections;

    private Architecture(Family family, String prefix, int layers, ModelConfig config, List<Projection> projections) {
        this.family = family;
        this.prefix = prefix;
        this.layers = layers;
        this.config = config;
        this.projections = projections;
    }

    public Family family() { return family; }
    public String prefix() { return prefix; }
    public int layers() { return layers; }
    public List<Projection> projections() { return projections; }

    /** Finds the naming family and layer stack in {@code store}; {@code config} (nullable) must agree. */
    public static Architecture detect(WeightStore store, ModelConfig config) throws CheckpointException {
        record Candidate(Family family, String prefix, TreeSet<Integer> layers) { }
        Map<String, Candidate> found = new TreeMap<>();
        for (String name : store.names())
            for (Family f : Family.values()) {
                Matcher m = f.marker.matcher(name);
                if (!m.matches()) continue;
                int layer;
                try {
                    layer = Integer.parseInt(m.group(2));
                } catch (NumberFormatException e) {
                    continue;
                }
                found.computeIfAbsent(f + "|" + m.group(1), k -> new Candidate(f, m.group(1), new TreeSet<>())).layers.add(layer);
            }
        if (found.isEmpty())
            throw new CheckpointException(store.describe() + ": no known layer naming found (expected e.g. "
                    + "model.layers.0.self_attn.q_proj.weight, h.0.attn.c_attn.weight, encoder.layer.0.attention.self.query.weight"
                    + " or blk.0.attn_q.weight)");
        List<Candidate> cs = new ArrayList<>(found.values());
        // Prefer the stack the config describes, then a language model over a vision tower, then the deepest.
        cs.sort(Comparator.<Candidate>comparingInt(c -> config != null && c.layers.size() == config.layers() ? 0 : 1)
                .thenComparingInt(c -> c.prefix.contains("vision") ? 1 : 0)
                .thenComparingInt(c -> -c.layers.size()));
        Candidate c = cs.get(0);
        int n = c.layers.last() + 1;
        if (c.layers.first() != 0 || c.layers.size() != n)
            throw new CheckpointException(store.describe() + ": layers of " + c.prefix + " are not numbered 0.." + (n - 1)
                    + " (found " + c.layers + ")");
        if (config != null && config.layers() > 0 && config.layers() != n)
            throw new CheckpointException(store.describe() + ": " + config.source() + " says num_hidden_layers = " + config.layers()
                    + " but the checkpoint holds " + n + " layers under '" + c.prefix + "'");
        List<Projection> ps = c.family.projections;
        if (c.family == Family.LLAMA_CPP) // one naming for every architecture: keep what this one has (a GELU MLP has no ffn_gate)
            ps = ps.stream().filter(p -> store.contains(tensorName(Family.LLAMA_CPP, c.prefix, 0, p))).toList();
        return new Architecture(c.family, c.prefix, n, config, ps);
    }

    /** The tensor name(s) a projection is read from, for messages and tests. */
    public String tensorName(int layer, Projection p) { return tensorName(family, prefix, layer, p); }

    private static String tensorName(Family family, String prefix, int layer, Projection p) {
        String l = prefix + switch (family) {
            case LLAMA -> "layers." + layer + ".";
            case GPT2 -> "h." + layer + ".";
            case BERT -> "encoder.layer." + layer + ".";
            case LLAMA_CPP -> "blk." + layer + ".";
        };
        return l + switch (family) {
            case LLAMA -> switch (p) {
                case Q, K, V, O -> "self_attn." + p.key + "_proj.weight";
                case GATE, UP, DOWN -> "mlp." + p.key + "_proj.weight";
            };
            case GPT2 -> switch (p) {
                case Q, K, V -> "attn.c_attn.weight";
                case O -> "attn.c_proj.weight";
                case UP -> "mlp.c_fc.weight";
                case DOWN -> "mlp.c_proj.weight";
                case GATE -> throw new IllegalArgumentException("GPT-2 has no gate projection");
            };
            case BERT -> switch (p) {
                case Q -> "attention.self.query.weight";
                case K -> "attention.self.key.weight";
                case V -> "attention.self.value.weight";
                case O -> "attention.output.dense.weight";
                case UP -> "intermediate.dense.weight";
                case DOWN -> "output.dense.weight";
                case GATE -> throw new IllegalArgumentException("BERT has no gate projection");
            };
            case LLAMA_CPP -> switch (p) {
                case Q, K, V -> "attn_" + p.key + ".weight";
                case O -> "attn_output.weight";
                case GATE, UP, DOWN -> "ffn_" + p.key + ".weight";
            };
        };
    }

    /** Projection {@code p} of layer {@code layer}, out x in, shape-checked. */
    public Matrix load(WeightStore store, int layer, Projection p) throws CheckpointException {
        return (Matrix) load(store, layer, p, false);
    }

    /**
     * Projection {@code p} of layer {@code layer} as a product operator, out x in, shape-checked:
     * in its stored width where the store can (bf16/f16 safetensors), else a float32 matrix.
     */
    public GramOperator loadOperand(WeightStore store, int layer, Projection p) throws CheckpointException {
        return load(store, layer, p, true);
    }

    private GramOperator load(WeightStore store, int layer, Projection p, boolean storedWidth) throws CheckpointException {
        if (layer < 0 || layer >= layers) throw new CheckpointException(store.describe() + ": layer " + layer + " out of 0.." + (layers - 1));
        if (!projections.contains(p))
            throw new CheckpointException(store.describe() + ": " + family + " naming has no " + p.key + " projection");
        String name = tensorName(layer, p);
        if (!store.contains(name)) throw new CheckpointException(store.describe() + ": missing tensor '" + name + "' (" + p.key + " of layer " + layer + ")");
        GramOperator m;
        if (family == Family.GPT2) {
            Matrix stored = store.readMatrix(name); // in x out
            if (p == Projection.Q || p == Projection.K || p == Projection.V) {
                if (stored.cols() != 3 * stored.rows())
                    throw new CheckpointException(store.describe() + ": tensor '" + name + "' is " + stored.rows() + "x" + stored.cols()
                            + ", expected a fused in x 3*in Conv1D weight (d x 3d)");
                m = transposedColumns(stored, p.ordinal() * stored.rows(), stored.rows());
            } else m = stored.transpose();
        } else m = storedWidth ? store.readOperand(name) : store.readMatrix(name);
        int[] expected = config == null ? null : config.expectedShape(p);
        if (expected != null && (m.rows() != expected[0] || m.cols() != expected[1]))
            throw new CheckpointException(store.describe() + ": tensor '" + name + "' (" + p.key + " of layer " + layer + ") is "
                    + m.rows() + "x" + m.cols() + " (out x in) but " + config.source() + " implies " + expected[0] + "x" + expected[1]
                    + " " + Arrays.toString(new String[] {"hidden=" + config.hidden(), "heads=" + config.heads(),
                    "kv_heads=" + config.kvHeads(), "head_dim=" + config.headDim(), "intermediate=" + config.intermediate()}));
        return m;
    }

    /** Columns [c0, c0 + count) of an in x out matrix, as a count x in (out x in) matrix. */
    static Matrix transposedColumns(Matrix a, int c0, int count) {
        float[] t = new float[count * a.rows()];
        for (int i = 0; i < a.rows(); i++)
            for (int j = 0; j < count; j++) t[j * a.rows() + i] = a.data()[i * a.cols() + c0 + j];
        return new Matrix(count, a.rows(), t);
    }
}
