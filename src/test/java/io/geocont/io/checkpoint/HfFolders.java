package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;

/** Builds small Hugging Face folders (config.json + safetensors) with planted out x in matrices per naming scheme. */
final class HfFolders {
    private HfFolders() { }

    /** planted.get(layer).get(projection) = the out x in matrix the analyzer must see. */
    record Planted(Path dir, Map<Integer, Map<Projection, Matrix>> planted) {
        Matrix get(int layer, Projection p) { return planted.get(layer).get(p); }
    }

    static Map<Integer, Map<Projection, Matrix>> plant(int layers, Iterable<Projection> ps, BiFunction<Integer, Projection, Matrix> f) {
        Map<Integer, Map<Projection, Matrix>> out = new java.util.TreeMap<>();
        for (int l = 0; l < layers; l++) {
            Map<Projection, Matrix> m = new EnumMap<>(Projection.class);
            for (Projection p : ps) m.put(p, f.apply(l, p));
            out.put(l, m);
        }
        return out;
    }

    /** Llama-family names under {@code prefix}; shapes from hidden, q width, kv width, ff. Optionally sharded (one shard per layer). */
    static Planted llama(Path dir, String configJson, String prefix, int layers, int hidden, int qOut, int kvOut, int ff,
                         Dtype dtype, boolean sharded, BiFunction<Integer, Projection, Matrix> values) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), configJson);
        var planted = plant(layers, java.util.List.of(Projection.values()), (l, p) -> {
            int[] s = switch (p) {
                case Q -> new int[] {qOut, hidden};
                case K, V -> new int[] {kvOut, hidden};
                case O -> new int[] {hidden, qOut};
                case GATE, UP -> new int[] {ff, hidden};
                case DOWN -> new int[] {hidden, ff};
            };
            Matrix m = values.apply(l, p);
            return m != null ? m : SafetensorsStoreTest.random(s[0], s[1], 1000L * l + p.ordinal());
        });
        StringBuilder index = new StringBuilder("{\"weight_map\": {");
        SafetensorsBuilder single = new SafetensorsBuilder();
        single.add(prefix + "embed_tokens.weight", SafetensorsStoreTest.random(5, hidden, 99), dtype);
        for (int l = 0; l < layers; l++) {
            SafetensorsBuilder b = sharded ? new SafetensorsBuilder() : single;
            String shard = "model-0000" + (l + 1) + "-of-0000" + layers + ".safetensors";
            for (Projection p : Projection.values()) {
                String name = prefix + "layers." + l + "." + (p.ordinal() < 4 ? "self_attn." : "mlp.") + p.key + "_proj.weight";
                b.add(name, planted.get(l).get(p), dtype);
                if (sharded) index.append(index.charAt(index.length() - 1) == '{' ? "" : ",").append('"').append(name).append("\": \"").append(shard).append('"');
            }
            b.add(prefix + "layers." + l + ".input_layernorm.weight", new float[hidden], new long[] {hidden}, dtype);
            if (sharded) b.write(dir.resolve(shard));
        }
        if (sharded) Files.writeString(dir.resolve("model.safetensors.index.json"), index + "}}");
        else single.write(dir.resolve("model.safetensors"));
        return new Planted(dir, planted);
    }

    /** GPT-2: c_attn fused [d, 3d] in x out, c_proj [d, d], c_fc [d, 4d], mlp.c_proj [4d, d], all Conv1D (in x out). */
    static Planted gpt2(Path dir, int layers, int d, BiFunction<Integer, Projection, Matrix> values) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\", \"n_layer\": " + layers + ", \"n_embd\": " + d
                + ", \"n_head\": 2, \"n_inner\": null}");
        var ps = java.util.List.of(Projection.Q, Projection.K, Projection.V, Projection.O, Projection.UP, Projection.DOWN);
        var planted = plant(layers, ps, (l, p) -> {
            Matrix m = values.apply(l, p);
            if (m != null) return m;
            return SafetensorsStoreTest.random(p == Projection.UP ? 4 * d : d, p == Projection.DOWN ? 4 * d : d, 7000L * l + p.ordinal());
        });
        SafetensorsBuilder b = new SafetensorsBuilder();
        b.add("wte.weight", SafetensorsStoreTest.random(11, d, 1), Dtype.F32);
        for (int l = 0; l < layers; l++) {
            var m = planted.get(l);
            float[] fused = new float[d * 3 * d]; // row i (input), column j (output of q|k|v)
            for (int part = 0; part < 3; part++) {
                Matrix w = m.get(ps.get(part));
                for (int i = 0; i < d; i++)
                    for (int j = 0; j < d; j++) fused[i * 3 * d + part * d + j] = w.get(j, i);
            }
            b.add("h." + l + ".attn.c_attn.weight", fused, new long[] {d, 3L * d}, Dtype.F32);
            b.add("h." + l + ".attn.c_attn.bias", new float[3 * d], new long[] {3L * d}, Dtype.F32);
            b.add("h." + l + ".attn.c_proj.weight", m.get(Projection.O).transpose(), Dtype.F32);
            b.add("h." + l + ".mlp.c_fc.weight", m.get(Projection.UP).transpose(), Dtype.F32);
            b.add("h." + l + ".mlp.c_proj.weight", m.get(Projection.DOWN).transpose(), Dtype.F32);
        }
        b.write(dir.resolve("model.safetensors"));
        return new Planted(dir, planted);
    }

    /** BERT: {prefix}encoder.layer.N.attention.self.query.weight ... (out x in). */
    static Planted bert(Path dir, String prefix, int layers, int d, int ff, BiFunction<Integer, Projection, Matrix> values) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"num_hidden_layers\": " + layers
                + ", \"hidden_size\": " + d + ", \"num_attention_heads\": 2, \"intermediate_size\": " + ff + "}");
        var ps = java.util.List.of(Projection.Q, Projection.K, Projection.V, Projection.O, Projection.UP, Projection.DOWN);
        var planted = plant(layers, ps, (l, p) -> {
            Matrix m = values.apply(l, p);
            return m != null ? m : SafetensorsStoreTest.random(p == Projection.UP ? ff : d, p == Projection.DOWN ? ff : d, 500L * l + p.ordinal());
        });
        String[] names = {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                "intermediate.dense", "output.dense"};
        SafetensorsBuilder b = new SafetensorsBuilder();
        for (int l = 0; l < layers; l++)
            for (int i = 0; i < ps.size(); i++)
                b.add(prefix + "encoder.layer." + l + "." + names[i] + ".weight", planted.get(l).get(ps.get(i)), Dtype.F16);
        b.write(dir.resolve("model.safetensors"));
        return new Planted(dir, planted);
    }
}
