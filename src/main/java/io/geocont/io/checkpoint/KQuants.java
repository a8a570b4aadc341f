package io.geocont.io.checkpoint;

import static io.geocont.io.checkpoint.FloatBlocks.half;

/**
 * ggml's K-quants: 256-element super-blocks split into 16 groups of 16 (Q2_K, Q3_K, Q6_K) or
 * 8 groups of 32 (Q4_K, Q5_K), each group with its own small integer scale (and min) under f16
 * super-block factors d (and dmin). The byte layouts follow the GGUF/ggml block definitions;
 * the arithmetic is float32 in gguf-py's order (group factor = d * scale first, then
 * factor * q - min), so results match its reference dequantization bit for bit.
 */
final class KQuants {
    private KQuants() { }

    /** scales[16] (low nibble scale, high nibble min), qs[64] 2-bit codes, d, dmin. */
    static void q2K(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 84, to += 256) {
            float d = half(src, from + 80), dmin = half(src, from + 82);
            for (int g = 0; g < 16; g++) {
                int sc = src[from + g] & 0xff;
                float scale = d * (sc & 0xf), min = dmin * (sc >>> 4);
                for (int i = 0; i < 16; i++) {
                    int e = 16 * g + i;
                    // element e: byte 32 * (e / 128) + e % 32 of qs, bit pair (e % 128) / 32
                    int q = (src[from + 16 + 32 * (e >>> 7) + (e & 31)] & 0xff) >>> (2 * ((e >>> 5) & 3)) & 3;
                    dst[to + e] = scale * q - min;
                }
            }
        }
    }

    /** hmask[32] (third bit, set = no offset), qs[64] low 2 bits, scales[12] (16 six-bit scales, bias 32), d. */
    static void q3K(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 110, to += 256) {
            float d = half(src, from + 108);
            int s = from + 96;
            for (int g = 0; g < 16; g++) {
                int low = g < 8 ? src[s + g] & 0xf : (src[s + g - 8] & 0xff) >>> 4;
                int high = (src[s + 8 + (g & 3)] & 0xff) >>> (2 * (g >>> 2)) & 3;
                float scale = d * ((low | high << 4) - 32);
                for (int i = 0; i < 16; i++) {
                    int e = 16 * g + i, l = e & 31;
                    int q = (src[from + 32 + 32 * (e >>> 7) + l] & 0xff) >>> (2 * ((e >>> 5) & 3)) & 3;
                    int hasHigh = (src[from + l] & 0xff) >>> (e >>> 5) & 1;
                    dst[to + e] = scale * (q - (hasHigh == 0 ? 4 : 0));
                }
            }
        }
    }

    /** d, dmin, scales[12] (8 six-bit scales and mins), qs[128] 4-bit codes. */
    static void q4K(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 144, to += 256) {
            float d = half(src, from), dmin = half(src, from + 2);
            for (int g = 0; g < 8; g++) {
                float scale = d * scale6(src, from + 4, g), min = dmin * min6(src, from + 4, g);
                int qs = from + 16 + 32 * (g >>> 1), shift = 4 * (g & 1);
                for (int l = 0; l < 32; l++)
                    dst[to + 32 * g + l] = scale * ((src[qs + l] & 0xff) >>> shift & 0xf) - min;
            }
        }
    }

    /** d, dmin, scales[12], qh[32] (bit g of byte l = fifth bit of element l of group g), qs[128]. */
    static void q5K(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 176, to += 256) {
            float d = half(src, from), dmin = half(src, from + 2);
            for (int g = 0; g < 8; g++) {
                float scale = d * scale6(src, from + 4, g), min = dmin * min6(src, from + 4, g);
                int qs = from + 48 + 32 * (g >>> 1), shift = 4 * (g & 1);
                for (int l = 0; l < 32; l++) {
                    int q = (src[qs + l] & 0xff) >>> shift & 0xf | ((src[from + 16 + l] & 0xff) >>> g & 1) << 4;
                    dst[to + 32 * g + l] = scale * q - min;
                }
            }
        }
    }

    /** ql[128] low 4 bits, qh[64] high 2 bits, scales[16] signed bytes, d; value = d * scale * (q - 32). */
    static void q6K(byte[] src, int from, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++, from += 210, to += 256) {
            float d = half(src, from + 208);
            for (int g = 0; g < 16; g++) {
                float scale = d * src[from + 192 + g];
                for (int i = 0; i < 16; i++) {
                    int e = 16 * g + i, h = e >>> 7, w = e & 127;
                    int low = (src[from + 64 * h + (w & 63)] & 0xff) >>> (4 * (w >>> 6)) & 0xf;
                    int high = (src[from + 128 + 32 * h + (w & 31)] & 0xff) >>> (2 * (w >>> 5)) & 3;
                    dst[to + e] = scale * ((low | high << 4) - 32);
                }
            }
        }
    }

    /** The 6-bit scale of group g (0..7) in the 12-byte packing shared by Q4_K and Q5_K. */
    private static int scale6(byte[] src, int s, int g) {
        return g < 4 ? src[s + g] & 63 : (src[s + g + 4] & 0xf) | ((src[s + g - 4] & 0xff) >>> 6) << 4;
    }

    private static int min6(byte[] src, int s, int g) {
        return g < 4 ? src[s + g + 4] & 63 : ((src[s + g + 4] & 0xff) >>> 4) | ((src[s + g] & 0xff) >>> 6) << 4;
    }
}
