package io.geocont.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON has no NaN, and geocont uses NaN for "undefined" (a continuity pair of a tied or zero
 * matrix, a mean with no defined pair). This Jackson module writes every NaN double (alone or
 * inside a double[]) as null, and reads null back as NaN into double and double[], so a result
 * file round-trips and a reader in any language sees null, never the string "NaN".
 */
final class NanAsNull extends SimpleModule {
    NanAsNull() {
        super("geocont-nan-as-null");
        addSerializer(Double.class, new StdSerializer<>(Double.class) {
            @Override public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v.isNaN()) g.writeNull(); else g.writeNumber(v);
            }
        });
        addSerializer(double.class, new StdSerializer<>(double.class) {
            @Override public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (v.isNaN()) g.writeNull(); else g.writeNumber(v);
            }
        });
        addSerializer(double[].class, new StdSerializer<>(double[].class) {
            @Override public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(v, v.length);
                for (double x : v) if (Double.isNaN(x)) g.writeNull(); else g.writeNumber(x);
                g.writeEndArray();
            }
        });
        addDeserializer(double[].class, new StdDeserializer<>(double[].class) {
            @Override public double[] deserialize(JsonParser p, DeserializationContext c) throws IOException {
                if (p.currentToken() != JsonToken.START_ARRAY) return (double[]) c.handleUnexpectedToken(double[].class, p);
                List<Double> xs = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken())
                    xs.add(t == JsonToken.VALUE_NULL ? Double.NaN : p.getValueAsDouble());
                double[] out = new double[xs.size()];
                for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
                return out;
            }
        });
        addDeserializer(double.class, new StdDeserializer<>(double.class) {
            @Override public Double deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return p.currentToken() == JsonToken.VALUE_NULL ? Double.NaN : p.getValueAsDouble();
            }

            @Override public Double getNullValue(DeserializationContext c) { return Double.NaN; }
        });
    }
}
