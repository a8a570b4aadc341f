package io.geocont.io.checkpoint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The unquantized GGUF element types (one element per block), little-endian. */
final class FloatBlocks {
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private FloatBlocks() { }

    /** The little-endian IEEE half at {@code src[at]}, as float32 (exact). */
    static float half(byte[] src, int at) {
        return Float.float16ToFloat((short) ((src[at] & 0xff) | (src[at + 1] << 8)));
    }

    static void f32(byte[] src, int from, int n, float[] dst, int to) {
        for (int i = 0; i < n; i++) dst[to + i] = (float) FLOAT.get(src, from + 4 * i);
    }

    static void f16(byte[] src, int from, int n, float[] dst, int to) {
        for (int i = 0; i < n; i++) dst[to + i] = half(src, from + 2 * i);
    }

    /** bfloat16 is the top half of a float32. */
    static void bf16(byte[] src, int from, int n, float[] dst, int to) {
        for (int i = 0; i < n; i++) {
            int at = from + 2 * i;
            dst[to + i] = Float.intBitsToFloat(((src[at] & 0xff) | (src[at + 1] & 0xff) << 8) << 16);
        }
    }
}
