package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * What geocont needs of an ONNX model: the initializers (weights, with their bytes located but
 * not copied) and the nodes (to learn which projection each {@code onnx::MatMul_N} weight is).
 */
public record OnnxGraph(Map<String, Initializer> initializers, List<Node> nodes) {

    /**
     * A stored tensor. {@code dtype} is null for ONNX types geocont never reads (strings, complex);
     * its bytes are {@code data[begin, begin + byteLength)}, little-endian, dense.
     */
    public record Initializer(String name, int onnxType, Dtype dtype, long[] dims, MemorySegment data, long begin, long byteLength) {
        public long elements() {
            long n = 1;
            for (long d : dims) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    /** A graph node; {@code intAttributes} holds its integer attributes (e.g. Gemm's transB). */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Long> intAttributes) { }
}
