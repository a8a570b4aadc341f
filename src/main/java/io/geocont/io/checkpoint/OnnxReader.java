package io.geocont.io.checkpoint;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf wire-format reader for the parts of onnx.proto geocont needs, with no generated
 * classes: ModelProto.graph (7) -> GraphProto.node (1) and .initializer (5); TensorProto dims (1),
 * data_type (2), float_data (4), name (8), raw_data (9), data_location (14); NodeProto input (1),
 * output (2), name (3), op_type (4), attribute (5: name 1, i 3). Every length is checked against
 * its enclosing message; any inconsistency becomes a {@link CheckpointException}.
 */
public final class OnnxReader {
    private OnnxReader() { }

    /** A protobuf tag: field number and wire type. */
    static int tag(int field, int wireType) { return field << 3 | wireType; }

    /** ONNX TensorProto.DataType -> geocont dtype (null: a type geocont never reads). */
    static Dtype dtypeOf(int onnxType) {
        return switch (onnxType) {
            case 1 -> Dtype.F32;
            case 2 -> Dtype.U8;
            case 3 -> Dtype.I8;
            case 4 -> Dtype.U16;
            case 5 -> Dtype.I16;
            case 6 -> Dtype.I32;
            case 7 -> Dtype.I64;
            case 9 -> Dtype.BOOL;
            case 10 -> Dtype.F16;
            case 11 -> Dtype.F64;
            case 12 -> Dtype.U32;
            case 13 -> Dtype.U64;
            case 16 -> Dtype.BF16;
            default -> null;
        };
    }

    public static OnnxGraph read(Path file) throws CheckpointException {
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 8)
                throw new CheckpointException(file + ": larger than 2 GiB; ONNX models with external data are not supported");
            bytes = Files.readAllBytes(file);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e, e);
        }
        return parse(file.toString(), bytes);
    }

    /** Parses a whole ModelProto held in {@code bytes}; {@code source} names it in messages. */
    public static OnnxGraph parse(String source, byte[] bytes) throws CheckpointException {
        Parser p = new Parser(source, bytes);
        try {
            return p.model();
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) { // InvalidProtocolBufferException: truncated, bad varint, bad tag
            throw new CheckpointException(source + ": not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    /** A byte range inside the file: a nested message or a bytes/string field. */
    private record Span(int begin, int length) { }

    private static final class Parser {
        final String source;
        final byte[] buf;
        final MemorySegment seg;
        final Map<String, OnnxGraph.Initializer> initializers = new LinkedHashMap<>();
        final List<OnnxGraph.Node> nodes = new ArrayList<>();

        Parser(String source, byte[] buf) {
            this.source = source;
            this.buf = buf;
            this.seg = MemorySegment.ofArray(buf);
        }

        CodedInputStream in(Span s) {
            CodedInputStream in = CodedInputStream.newInstance(buf, s.begin, s.length);
            in.setRecursionLimit(8);
            return in;
        }

        /** Reads a length prefix and skips the payload; returns its absolute span. */
        Span span(CodedInputStream in, Span within) throws IOException {
            int len = in.readRawVarint32();
            int at = within.begin + in.getTotalBytesRead();
            if (len < 0 || len > within.begin + within.length - at)
                throw new CheckpointException(source + ": field at byte " + at + " claims " + len + " bytes, only "
                        + (within.begin + within.length - at) + " remain in its message (truncated?)");
            in.skipRawBytes(len);
            return new Span(at, len);
        }

        String string(Span s) { return new String(buf, s.begin, s.length, StandardCharsets.UTF_8); }

        OnnxGraph model() throws IOException {
            Span all = new Span(0, buf.length);
            CodedInputStream in = in(all);
            boolean sawGraph = false;
            for (int tag; (tag = in.readTag()) != 0; ) {
                if (tag == tag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    graph(span(in, all));
                    sawGraph = true;
                } else in.skipField(tag);
            }
            if (!sawGraph) throw new CheckpointException(source + ": no graph (ModelProto field 7) found; is this an ONNX file?");
            return new OnnxGraph(initializers, nodes);
        }

        void graph(Span g) throws IOException {
            CodedInputStream in = in(g);
            for (int tag; (tag = in.readTag()) != 0; ) {
                int field = WireFormat.getTagFieldNumber(tag);
                boolean len = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (field == 1 && len) nodes.add(node(span(in, g)));
                else if (field == 5 && len) {
                    OnnxGraph.Initializer t = tensor(span(in, g));
                    initializers.put(t.name(), t);
                } else in.skipField(tag);
            }
        }

        OnnxGraph.Node node(Span n) throws IOException {
            CodedInputStream in = in(n);
            List<String> inputs = new ArrayList<>(), outputs = new ArrayList<>();
            String name = "", op = "";
            Map<String, Long> attrs = new LinkedHashMap<>();
            for (int tag; (tag = in.readTag()) != 0; ) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED || field > 5) {
                    in.skipField(tag);
                    continue;
                }
                Span s = span(in, n);
                switch (field) {
                    case 1 -> inputs.add(string(s));
                    case 2 -> outputs.add(string(s));
                    case 3 -> name = string(s);
                    case 4 -> op = string(s);
                    case 5 -> attribute(s, attrs);
                    default -> { }
                }
            }
            return new OnnxGraph.Node(name, op, inputs, outputs, attrs);
        }

        void attribute(Span a, Map<String, Long> attrs) throws IOException {
            CodedInputStream in = in(a);
            String name = null;
            Long value = null;
            for (int tag; (tag = in.readTag()) != 0; ) {
                if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) name = string(span(in, a));
                else if (tag == tag(3, WireFormat.WIRETYPE_VARINT)) value = in.readInt64();
                else in.skipField(tag);
            }
            if (name != null && value != null) attrs.put(name, value);
        }

        OnnxGraph.Initializer tensor(Span t) throws IOException {
            CodedInputStream in = in(t);
            List<Long> dims = new ArrayList<>();
            int type = 0;
            String name = null;
            Span raw = null, packedFloats = null;
            List<Float> floats = new ArrayList<>();
            long location = 0;
            for (int tag; (tag = in.readTag()) != 0; ) {
                int field = WireFormat.getTagFieldNumber(tag);
                int wire = WireFormat.getTagWireType(tag);
                if (field == 1 && wire == WireFormat.WIRETYPE_VARINT) dims.add(in.readInt64());
                else if (field == 1 && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    CodedInputStream p = in(span(in, t));
                    while (!p.isAtEnd()) dims.add(p.readInt64());
                } else if (field == 2 && wire == WireFormat.WIRETYPE_VARINT) type = in.readInt32();
                else if (field == 4 && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) packedFloats = span(in, t);
                else if (field == 4 && wire == WireFormat.WIRETYPE_FIXED32) floats.add(in.readFloat());
                else if (field == 8 && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) name = string(span(in, t));
                else if (field == 9 && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) raw = span(in, t);
                else if (field == 14 && wire == WireFormat.WIRETYPE_VARINT) location = in.readInt64();
                else in.skipField(tag);
            }
            String where = source + ": initializer '" + name + "'";
            if (name == null) throw new CheckpointException(source + ": an initializer at byte " + t.begin + " has no name");
            long[] shape = new long[dims.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i);
                if (shape[i] < 0) throw new CheckpointException(where + ": dimension " + i + " is " + shape[i] + ", expected >= 0");
                try {
                    elements = Math.multiplyExact(elements, shape[i]);
                } catch (ArithmeticException e) {
                    throw new CheckpointException(where + ": shape is too large (element count overflows)");
                }
            }
            Dtype dtype = dtypeOf(type);
            if (location == 1)
                return new OnnxGraph.Initializer(name, type, null, shape, seg, 0, 0); // external data: never readable here
            MemorySegment data = seg;
            long begin = 0, length = 0;
            if (raw != null) {
                begin = raw.begin;
                length = raw.length;
            } else if (packedFloats != null && floats.isEmpty()) {
                begin = packedFloats.begin;
                length = packedFloats.length;
            } else if (!floats.isEmpty() || packedFloats != null) { // unpacked (or mixed) float_data: copy
                if (packedFloats != null) {
                    CodedInputStream p = in(packedFloats);
                    while (!p.isAtEnd()) floats.add(p.readFloat());
                }
                data = MemorySegment.ofArray(new byte[floats.size() * 4]);
                for (int i = 0; i < floats.size(); i++)
                    data.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, floats.get(i));
                length = data.byteSize();
            }
            if ((raw != null || packedFloats != null || !floats.isEmpty()) && dtype != null) {
                if (raw == null && dtype != Dtype.F32)
                    throw new CheckpointException(where + ": float_data given for data_type " + type + ", expected FLOAT (1)");
                long expected;
                try {
                    expected = Math.multiplyExact(elements, dtype.size);
                } catch (ArithmeticException e) {
                    throw new CheckpointException(where + ": shape is too large (byte count overflows)");
                }
                if (length != expected)
                    throw new CheckpointException(where + ": " + dtype + " " + java.util.Arrays.toString(shape) + " needs " + expected
                            + " bytes, the file holds " + length);
            }
            return new OnnxGraph.Initializer(name, type, dtype, shape, data, begin, length);
        }
    }
}
