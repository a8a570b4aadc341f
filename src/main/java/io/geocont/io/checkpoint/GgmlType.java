package io.geocont.io.checkpoint;

/**
 * ggml tensor types as GGUF numbers them, with their block layout (elements per block, bytes per
 * block). Every type's layout is known so each tensor's byte length can be validated; only the
 * types with a {@link #decoder} can be read as float32 weights.
 */
enum GgmlType {
    F32(0, 1, 4, FloatBlocks::f32),
    F16(1, 1, 2, FloatBlocks::f16),
    Q4_0(2, 32, 18, LegacyQuants::q4_0),
    Q4_1(3, 32, 20, LegacyQuants::q4_1),
    Q5_0(6, 32, 22, LegacyQuants::q5_0),
    Q5_1(7, 32, 24, LegacyQuants::q5_1),
    Q8_0(8, 32, 34, LegacyQuants::q8_0),
    Q8_1(9, 32, 40, null),
    Q2_K(10, 256, 84, KQuants::q2K),
    Q3_K(11, 256, 110, KQuants::q3K),
    Q4_K(12, 256, 144, KQuants::q4K),
    Q5_K(13, 256, 176, KQuants::q5K),
    Q6_K(14, 256, 210, KQuants::q6K),
    Q8_K(15, 256, 292, null),
    IQ2_XXS(16, 256, 66, null),
    IQ2_XS(17, 256, 74, null),
    IQ3_XXS(18, 256, 98, null),
    IQ1_S(19, 256, 50, null),
    IQ4_NL(20, 32, 18, null),
    IQ3_S(21, 256, 110, null),
    IQ2_S(22, 256, 82, null),
    IQ4_XS(23, 256, 136, null),
    I8(24, 1, 1, null),
    I16(25, 1, 2, null),
    I32(26, 1, 4, null),
    I64(27, 1, 8, null),
    F64(28, 1, 8, null),
    IQ1_M(29, 256, 56, null),
    BF16(30, 1, 2, FloatBlocks::bf16),
    TQ1_0(34, 256, 54, null),
    TQ2_0(35, 256, 66, null),
    MXFP4(39, 32, 17, null),
    NVFP4(40, 64, 36, null),
    Q1_0(41, 128, 18, null);

    /** Decodes {@code blocks} consecutive blocks starting at {@code src[from]} into {@code dst[to ...]}. */
    @FunctionalInterface
    interface BlockDecoder {
        void decode(byte[] src, int from, int blocks, float[] dst, int to);
    }

    final int id;
    final int blockSize;
    final int blockBytes;
    final BlockDecoder decoder; // null: layout known, values not readable

    GgmlType(int id, int blockSize, int blockBytes, BlockDecoder decoder) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
        this.decoder = decoder;
    }

    boolean readable() { return decoder != null; }

    /** The type numbered {@code id}, or null for a number this reader does not know. */
    static GgmlType of(long id) {
        for (GgmlType t : values()) if (t.id == id) return t;
        return null;
    }

    /** "Q4_K (type 12)", for messages. */
    String describe() { return name() + " (type " + id + ")"; }
}
