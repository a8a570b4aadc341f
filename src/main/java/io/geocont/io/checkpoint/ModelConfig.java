package io.geocont.io.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture fields of a Hugging Face config.json that fix the weight shapes. GPT-2 and
 * BERT spellings are accepted (n_embd, n_layer, n_head, n_inner); multimodal configs (Gemma 3)
 * keep the language model's fields in "text_config". A field the config lacks is -1.
 * {@code source} names where the fields came from in messages ("config.json", "GGUF metadata").
 */
public record ModelConfig(String modelType, int layers, int hidden, int heads, int kvHeads, int headDim, int intermediate,
                          String source) {

    /** Fields read from a config.json. */
    public ModelConfig(String modelType, int layers, int hidden, int heads, int kvHeads, int headDim, int intermediate) {
        this(modelType, layers, hidden, heads, kvHeads, headDim, intermediate, "config.json");
    }

    public static ModelConfig read(Path file) throws CheckpointException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new CheckpointException(file + ": expected a JSON object");
        JsonNode text = root.has("text_config") && root.get("text_config").isObject() ? root.get("text_config") : root;
        String type = text.has("model_type") ? text.get("model_type").asText() : root.path("model_type").asText("");
        int hidden = integer(file, text, "hidden_size", "n_embd", "d_model");
        int heads = integer(file, text, "num_attention_heads", "n_head");
        int kv = integer(file, text, "num_key_value_heads");
        int headDim = integer(file, text, "head_dim");
        int inter = integer(file, text, "intermediate_size", "n_inner");
        if (inter < 0 && type.equals("gpt2") && hidden > 0) inter = 4 * hidden;
        if (kv < 0) kv = heads;
        if (headDim < 0 && hidden > 0 && heads > 0) headDim = hidden / heads;
        return new ModelConfig(type, integer(file, text, "num_hidden_layers", "n_layer"), hidden, heads, kv, headDim, inter);
    }

    private static int integer(Path file, JsonNode node, String... names) throws CheckpointException {
        for (String n : names) {
            JsonNode v = node.get(n);
            if (v == null || v.isNull()) continue;
            if (!v.isIntegralNumber() || v.asLong() <= 0 || v.asLong() > Integer.MAX_VALUE)
                throw new CheckpointException(file + ": '" + n + "' is " + v + ", expected a positive integer");
            return v.asInt();
        }
        return -1;
    }

    /** Expected {out, in} of a projection in out x in layout, or null when the config cannot tell. */
    public int[] expectedShape(Projection p) {
        int qOut = heads > 0 && headDim > 0 ? heads * headDim : -1;
        int kvOut = kvHeads > 0 && headDim > 0 ? kvHeads * headDim : -1;
        int[] s = switch (p) {
            case Q -> new int[] {qOut, hidden};
            case K, V -> new int[] {kvOut, hidden};
            case O -> new int[] {hidden, qOut};
            case GATE, UP -> new int[] {intermediate, hidden};
            case DOWN -> new int[] {hidden, intermediate};
        };
        return s[0] > 0 && s[1] > 0 ? s : null;
    }
}
