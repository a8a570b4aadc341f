package io.geocont.io.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element types a checkpoint may hold. Every type is known so byte lengths can be validated for
 * all tensors; only the floating types F32, F16, BF16 and F64 can be read as float32 weights.
 */
public enum Dtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Bytes per element. */
    public final int size;

    Dtype(int size) { this.size = size; }

    /** True for the types {@link #toFloats} converts. */
    public boolean readable() { return this == F32 || this == F16 || this == BF16 || this == F64; }

    /** The safetensors spelling ("F32", "BF16", ...), or null when it is not one. */
    public static Dtype ofSafetensors(String s) {
        for (Dtype d : values()) if (d.name().equals(s)) return d;
        return null;
    }

    /**
     * Converts {@code count} little-endian elements starting at byte {@code offset} of {@code seg}
     * into {@code out[outOffset ...]}. The caller has checked the bounds; the segment checks them again.
     */
    public void toFloats(MemorySegment seg, long offset, float[] out, int outOffset, int count) {
        switch (this) {
            case F32 -> MemorySegment.copy(seg, FLOAT, offset, out, outOffset, count);
            case BF16 -> {
                for (int i = 0; i < count; i++)
                    out[outOffset + i] = Float.intBitsToFloat((seg.get(SHORT, offset + 2L * i) & 0xffff) << 16);
            }
            case F16 -> {
                for (int i = 0; i < count; i++)
                    out[outOffset + i] = Float.float16ToFloat(seg.get(SHORT, offset + 2L * i));
            }
            case F64 -> {
                for (int i = 0; i < count; i++) out[outOffset + i] = (float) seg.get(DOUBLE, offset + 8L * i);
            }
            default -> throw new IllegalStateException("dtype " + this + " is not a floating type");
        }
    }
}
