/*
 * How fast plain Java loops run before C2 has compiled them: one fused A^T (A x) pass over a
 * 1024 x 4096 bf16 matrix (a short[], widened by a shift; eight float lanes per row, as the
 * Vector API kernels keep them), eight passes in a fresh JVM. Set against PassOnly.java's timings
 * of the Vector API kernels at the same tiers (RESULTS.md "The whole command against the same
 * job scripted in Python"): the case for cold-start twins of the kernels.
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
 *   $J/javac -d /tmp/cold benchmarks/topk/ColdPass.java
 *   for o in -Xint -XX:TieredStopAtLevel=3 -XX:TieredStopAtLevel=1 ""; do $J/java $o -cp /tmp/cold ColdPass; done
 */
public class ColdPass {
    static void pass(short[] a, int rows, int cols, float[] x, float[] z) {
        float[] acc = new float[8];
        for (int i = 0; i < rows; i++) {
            java.util.Arrays.fill(acc, 0);
            int o = i * cols;
            for (int j = 0; j < cols; j += 8)
                for (int l = 0; l < 8; l++) acc[l] = Math.fma(Float.intBitsToFloat(a[o + j + l] << 16), x[j + l], acc[l]);
            float d = 0;
            for (int l = 0; l < 8; l++) d += acc[l];
            for (int j = 0; j < cols; j++) z[j] = Math.fma(Float.intBitsToFloat(a[o + j] << 16), d, z[j]);
        }
    }
    public static void main(String[] args) {
        int rows = 1024, cols = 4096;
        short[] a = new short[rows * cols];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) a[i] = (short) (Float.floatToRawIntBits((float) r.nextGaussian()) >>> 16);
        float[] x = new float[cols], z = new float[cols];
        for (int j = 0; j < cols; j++) x[j] = (float) r.nextGaussian();
        long t00 = System.nanoTime();
        for (int p = 0; p < 8; p++) {
            long t0 = System.nanoTime();
            pass(a, rows, cols, x, z);
            System.out.printf("pass %d: %.1f ms%n", p, (System.nanoTime() - t0) / 1e6);
        }
    }
}
