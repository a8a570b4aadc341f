package io.geocont.io.checkpoint;

import com.google.protobuf.CodedOutputStream;
import io.geocont.linalg.Matrix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Writes a minimal ONNX ModelProto by hand (wire format), like an exporter would: MatMul weights in x out. */
final class OnnxBuilder {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();

    /** A FLOAT initializer stored as raw_data (rows x cols as given) or, with packed = true, as float_data. */
    OnnxBuilder initializer(String name, float[] values, long[] dims, boolean packedFloatData) {
        initializers.add(message(out -> {
            for (long d : dims) out.writeInt64(1, d);
            out.writeInt32(2, 1);
            out.writeString(8, name);
            if (packedFloatData) {
                out.writeTag(4, 2);
                out.writeUInt32NoTag(values.length * 4);
                for (float v : values) out.writeFloatNoTag(v);
            } else {
                ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) b.putFloat(v);
                out.writeByteArray(9, b.array());
            }
        }));
        return this;
    }

    OnnxBuilder matrixInXOut(String name, Matrix outXIn) {
        Matrix t = outXIn.transpose();
        return initializer(name, t.data(), new long[] {t.rows(), t.cols()}, false);
    }

    OnnxBuilder node(String name, String op, List<String> inputs, List<String> outputs) {
        nodes.add(message(out -> {
            for (String i : inputs) out.writeString(1, i);
            for (String o : outputs) out.writeString(2, o);
            out.writeString(3, name);
            out.writeString(4, op);
        }));
        return this;
    }

    /** A node with one integer attribute (e.g. Gemm's transB). */
    OnnxBuilder node(String name, String op, List<String> inputs, List<String> outputs, String attr, long value) {
        byte[] a = message(out -> {
            out.writeString(1, attr);
            out.writeInt64(3, value);
            out.writeInt32(20, 2); // AttributeType.INT
        });
        nodes.add(message(out -> {
            for (String i : inputs) out.writeString(1, i);
            for (String o : outputs) out.writeString(2, o);
            out.writeString(3, name);
            out.writeString(4, op);
            out.writeByteArray(5, a);
        }));
        return this;
    }

    byte[] build() {
        byte[] graph = message(out -> {
            for (byte[] n : nodes) out.writeByteArray(1, n);
            out.writeString(2, "test-graph");
            for (byte[] t : initializers) out.writeByteArray(5, t);
        });
        return message(out -> {
            out.writeInt64(1, 8);
            out.writeString(2, "geocont-test");
            out.writeByteArray(7, graph);
        });
    }

    interface Body { void write(CodedOutputStream out) throws IOException; }

    static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
