import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-kernel shapes alone, without packing, edges or C updates: 8 rows x 2 vectors (Gemm's
 * kernel where there are 16 vector registers), 4 x 4 and 6 x 4 (Gemm's kernel where there are
 * 32), on a 128 x 128 x kc product whose A and packed B stay in cache, one thread, best of 300
 * per round. What Gemm.WIDE's choice rests on. Self-contained (no geocont classes):
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin; $J/java --add-modules jdk.incubator.vector benchmarks/gemm/KernelShapes.java 128
 */
public class KernelShapes {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = S.length();

    static void k8x2(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int r0 = aOff, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda, r6 = r5 + lda, r7 = r6 + lda;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 2 * V;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V), x;
            x = FloatVector.broadcast(S, a[r0 + p]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[r1 + p]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[r2 + p]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[r3 + p]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[r4 + p]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[r5 + p]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[r6 + p]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[r7 + p]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        // one store per accumulator (an array of them would box every vector)
        c00.intoArray(tile, 0 * V); c01.intoArray(tile, 1 * V); c10.intoArray(tile, 2 * V); c11.intoArray(tile, 3 * V);
        c20.intoArray(tile, 4 * V); c21.intoArray(tile, 5 * V); c30.intoArray(tile, 6 * V); c31.intoArray(tile, 7 * V);
        c40.intoArray(tile, 8 * V); c41.intoArray(tile, 9 * V); c50.intoArray(tile, 10 * V); c51.intoArray(tile, 11 * V);
        c60.intoArray(tile, 12 * V); c61.intoArray(tile, 13 * V); c70.intoArray(tile, 14 * V); c71.intoArray(tile, 15 * V);
    }

    static void k4x4(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        int r0 = aOff, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 4 * V;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * V), b3 = FloatVector.fromArray(S, bp, bi + 3 * V), x;
            x = FloatVector.broadcast(S, a[r0 + p]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[r1 + p]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[r2 + p]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[r3 + p]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
        }
        // one store per accumulator (an array of them would box every vector)
        c00.intoArray(tile, 0 * V); c01.intoArray(tile, 1 * V); c02.intoArray(tile, 2 * V); c03.intoArray(tile, 3 * V);
        c10.intoArray(tile, 4 * V); c11.intoArray(tile, 5 * V); c12.intoArray(tile, 6 * V); c13.intoArray(tile, 7 * V);
        c20.intoArray(tile, 8 * V); c21.intoArray(tile, 9 * V); c22.intoArray(tile, 10 * V); c23.intoArray(tile, 11 * V);
        c30.intoArray(tile, 12 * V); c31.intoArray(tile, 13 * V); c32.intoArray(tile, 14 * V); c33.intoArray(tile, 15 * V);
    }

    static void k6x4(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        int r0 = aOff, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 4 * V;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * V), b3 = FloatVector.fromArray(S, bp, bi + 3 * V), x;
            x = FloatVector.broadcast(S, a[r0 + p]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[r1 + p]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[r2 + p]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[r3 + p]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[r4 + p]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[r5 + p]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        // one store per accumulator (an array of them would box every vector)
        c00.intoArray(tile, 0 * V); c01.intoArray(tile, 1 * V); c02.intoArray(tile, 2 * V); c03.intoArray(tile, 3 * V);
        c10.intoArray(tile, 4 * V); c11.intoArray(tile, 5 * V); c12.intoArray(tile, 6 * V); c13.intoArray(tile, 7 * V);
        c20.intoArray(tile, 8 * V); c21.intoArray(tile, 9 * V); c22.intoArray(tile, 10 * V); c23.intoArray(tile, 11 * V);
        c30.intoArray(tile, 12 * V); c31.intoArray(tile, 13 * V); c32.intoArray(tile, 14 * V); c33.intoArray(tile, 15 * V);
        c40.intoArray(tile, 16 * V); c41.intoArray(tile, 17 * V); c42.intoArray(tile, 18 * V); c43.intoArray(tile, 19 * V);
        c50.intoArray(tile, 20 * V); c51.intoArray(tile, 21 * V); c52.intoArray(tile, 22 * V); c53.intoArray(tile, 23 * V);
    }

    public static void main(String[] args) {
        int n = 128, kc = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        float[] a = new float[n * kc], bp = new float[n * kc], tile = new float[24 * V];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat(); bp[i] = r.nextFloat(); }
        String[] names = {"8 x 2", "4 x 4", "6 x 4"};
        for (int round = 0; round < 12; round++)
            for (int variant = 0; variant < 3; variant++) {
                long best = Long.MAX_VALUE;
                int rows = variant == 2 ? n / 6 * 6 : n;
                for (int rep = 0; rep < 300; rep++) {
                    long t0 = System.nanoTime();
                    if (variant == 0) { for (int q = 0; q < n / (2 * V); q++) for (int i = 0; i < n; i += 8) k8x2(kc, a, i * kc, kc, bp, q * kc * 2 * V, tile); }
                    else if (variant == 1) { for (int q = 0; q < n / (4 * V); q++) for (int i = 0; i < n; i += 4) k4x4(kc, a, i * kc, kc, bp, q * kc * 4 * V, tile); }
                    else { for (int q = 0; q < n / (4 * V); q++) for (int i = 0; i + 6 <= n; i += 6) k6x4(kc, a, i * kc, kc, bp, q * kc * 4 * V, tile); }
                    best = Math.min(best, System.nanoTime() - t0);
                }
                if (round >= 8) System.out.printf("%s: %.1f us, %.1f GFLOP/s%n", names[variant], best / 1e3, 2.0 * rows * n * kc / best);
            }
    }
}
