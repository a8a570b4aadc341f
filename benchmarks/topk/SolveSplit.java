/*
 * Where a top-1 solve's time goes on synthetic matrices of the peer families' shapes (Gaussian
 * plus a rank-one spike): per solve, the wall time of its passes (applyGram) and of everything
 * else (basis work, Ritz problem), median of the last 60 of 1,500 solves (the JIT needs them),
 * and the pass times of the last solve (vectors:microseconds).
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
 *   $J/javac -cp target/classes -d /tmp/ss benchmarks/topk/SolveSplit.java
 *   $J/java --add-modules jdk.incubator.vector -Dgeocont.threads=2 -cp target/classes:/tmp/ss SolveSplit
 */
import io.geocont.linalg.*;
import io.geocont.linalg.svd.Svds;
import java.util.*;
public class SolveSplit {
    static final class Counting implements GramOperator {
        final Matrix a; int passes; long nanos; StringBuilder log = new StringBuilder();
        Counting(Matrix a) { this.a = a; }
        public int rows() { return a.rows(); }
        public int cols() { return a.cols(); }
        public void applyGram(float[][] x, double[][] y, double[][] z) { passes++; long t0 = System.nanoTime(); a.applyGram(x, y, z); long dt = System.nanoTime() - t0; nanos += dt; log.append(x.length).append(':').append(dt/1000).append(' '); }
        public double frobeniusSq() { return a.frobeniusSq(); }
        public String findNonFinite() { return a.findNonFinite(); }
        public String describe() { return a.describe(); }
    }
    public static void main(String[] args) {
        int[][] shapes = {{384, 1536}, {1536, 384}, {384, 384}};
        Random rnd = new Random(2);
        Svd svd = Svds.topK(1, TopKOptions.DEFAULTS);
        for (int[] sh : shapes) {
            float[] d = new float[sh[0] * sh[1]];
            // a spectrum like a trained layer: a few stronger directions over Gaussian noise
            for (int i = 0; i < d.length; i++) d[i] = (float) rnd.nextGaussian();
            float[] u = new float[sh[0]], v = new float[sh[1]];
            for (int i = 0; i < u.length; i++) u[i] = (float) rnd.nextGaussian();
            for (int j = 0; j < v.length; j++) v[j] = (float) rnd.nextGaussian();
            double scale = 1.3 / Math.sqrt(Math.max(sh[0], sh[1]));
            for (int i = 0; i < sh[0]; i++) for (int j = 0; j < sh[1]; j++) d[i * sh[1] + j] += (float) (u[i] * v[j] * scale);
            Matrix m = new Matrix(sh[0], sh[1], d);
            long[] tot = new long[60], inPasses = new long[60]; int passes = 0;
            for (int r = 0; r < 1500; r++) {
                Counting c = new Counting(m);
                long t0 = System.nanoTime(); svd.decompose(c); long t = System.nanoTime() - t0;
                if (r >= 1440) { tot[r - 1440] = t; inPasses[r - 1440] = c.nanos; passes = c.passes; } if (r == 1499) System.out.println(c.log);
            }
            Arrays.sort(tot); Arrays.sort(inPasses);
            System.out.printf("%5d x %-5d median solve %8.1f us, %d passes, in passes %.1f us/pass (median), the rest %.1f us/pass%n",
                    sh[0], sh[1], tot[30] / 1e3, passes, inPasses[30] / 1e3 / passes, (tot[30] - inPasses[30]) / 1e3 / passes);
        }
    }
}
