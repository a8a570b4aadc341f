package io.geocont.io.checkpoint;

import static io.geocont.io.checkpoint.FloatBlocks.half;

/**
 * ggml's original 32-element quantizations. Each block starts with an f16 scale d (and, for the
 * _1 types, an f16 offset m); then 4-bit codes two per byte (element j in the low nibble of byte
 * j, element j + 16 in the high nibble), for the 5-bit types a 32-bit word whose bit j is the
 * fifth bit of element j, for Q8_0 one signed byte per element. Value = d * (q - zero) or
 * d * q + m; float32 arithmetic in the same order as gguf-py, so results match it bit for bit.
 */
final class LegacyQuants {
    private LegacyQuants() { }

    static void q8_0(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 34, to += 32) {
            float d = half(src, from);
            for (int j = 0; j < 32; j++) dst[to + j] = src[from + 2 + j] * d;
        }
    }

    static void q4_0(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 18, to += 32) {
            float d = half(src, from);
            for (int j = 0; j < 16; j++) {
                int q = src[from + 2 + j] & 0xff;
                dst[to + j] = d * ((q & 0xf) - 8);
                dst[to + j + 16] = d * ((q >>> 4) - 8);
            }
        }
    }

    static void q4_1(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 20, to += 32) {
            float d = half(src, from), m = half(src, from + 2);
            for (int j = 0; j < 16; j++) {
                int q = src[from + 4 + j] & 0xff;
                dst[to + j] = d * (q & 0xf) + m;
                dst[to + j + 16] = d * (q >>> 4) + m;
            }
        }
    }

    static void q5_0(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 22, to += 32) {
            float d = half(src, from);
            int high = int32(src, from + 2);
            for (int j = 0; j < 16; j++) {
                int q = src[from + 6 + j] & 0xff;
                dst[to + j] = d * (((q & 0xf) | (high >>> j & 1) << 4) - 16);
                dst[to + j + 16] = d * (((q >>> 4) | (high >>> (j + 16) & 1) << 4) - 16);
            }
        }
    }

    static void q5_1(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 24, to += 32) {
            float d = half(src, from), m = half(src, from + 2);
            int high = int32(src, from + 4);
            for (int j = 0; j < 16; j++) {
                int q = src[from + 8 + j] & 0xff;
                dst[to + j] = d * ((q & 0xf) | (high >>> j & 1) << 4) + m;
                dst[to + j + 16] = d * ((q >>> 4) | (high >>> (j + 16) & 1) << 4) + m;
            }
        }
    }

    private static int int32(byte[] src, int at) {
        return (src[at] & 0xff) | (src[at + 1] & 0xff) << 8 | (src[at + 2] & 0xff) << 16 | (src[at + 3] & 0xff) << 24;
    }
}
