package io.geocont.io.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Seeded random corruptions of a valid file: bit flips, byte overwrites, truncations, splices, digit edits. */
final class Mutations {
    private Mutations() { }

    static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            switch (r.nextInt(7)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncate
                case 3 -> { // duplicate a slice somewhere else (grows or shifts structure)
                    int from = r.nextInt(b.length), len = r.nextInt(Math.min(32, b.length - from) + 1), at = r.nextInt(b.length + 1);
                    byte[] n = new byte[b.length + len];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, from, n, at, len);
                    System.arraycopy(b, at, n, at + len, b.length - at);
                    b = n;
                }
                case 4 -> { // delete a slice
                    int from = r.nextInt(b.length), len = r.nextInt(Math.min(16, b.length - from) + 1);
                    byte[] n = new byte[b.length - len];
                    System.arraycopy(b, 0, n, 0, from);
                    System.arraycopy(b, from + len, n, from, b.length - from - len);
                    b = n;
                }
                case 5 -> { // change an ASCII digit (offsets, shapes, lengths in JSON headers)
                    int i = r.nextInt(b.length);
                    for (int j = 0; j < b.length; j++) {
                        int k = (i + j) % b.length;
                        if (b[k] >= '0' && b[k] <= '9') {
                            b[k] = (byte) ('0' + r.nextInt(10));
                            break;
                        }
                    }
                }
                default -> { // extreme value in the first 8 bytes or anywhere (lengths, varints)
                    int i = r.nextInt(Math.min(b.length, r.nextBoolean() ? 8 : b.length));
                    b[i] = r.nextBoolean() ? (byte) 0xff : (byte) 0x80;
                }
            }
        }
        return b;
    }

    static String ascii(byte[] b) { return new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1); }
}
