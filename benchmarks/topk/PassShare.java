/*
 * The share of the matrix passes in a top-1 solve: times every applyGram call inside the solver
 * and prints, for the best and the median solve of the second half (past the JIT), the whole
 * solve and its passes. Compile and run as OneMatrix:
 *
 *   $J/javac -cp $BJ -d /tmp/om benchmarks/topk/PassShare.java
 *   $J/java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=2 -cp $BJ:/tmp/om \
 *       PassShare benchmarks/target/families/gaussf32.safetensors gaussf32.1 300
 */
import io.geocont.linalg.*;
import io.geocont.linalg.svd.Svds;
import io.geocont.io.checkpoint.SafetensorsStore;
import java.nio.file.Path;
import java.util.*;
public class PassShare {
    static final class Timed implements GramOperator {
        final GramOperator a; long nanos; int passes, vectors;
        Timed(GramOperator a) { this.a = a; }
        public int rows() { return a.rows(); }
        public int cols() { return a.cols(); }
        public void applyGram(float[][] x, double[][] y, double[][] z) { long t = System.nanoTime(); a.applyGram(x, y, z); nanos += System.nanoTime() - t; passes++; vectors += x.length; }
        public double frobeniusSq() { return a.frobeniusSq(); }
        public String findNonFinite() { return a.findNonFinite(); }
        public Matrix toMatrix() { return a.toMatrix(); }
        public String describe() { return a.describe(); }
    }
    public static void main(String[] args) throws Exception {
        try (SafetensorsStore store = SafetensorsStore.open(Path.of(args[0]))) {
            int n = Integer.parseInt(args[2]);
            double[] tot = new double[n], pass = new double[n]; int p = 0, v = 0;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                Timed t = new Timed(store.readOperand(args[1]));
                Svds.topK(1).decompose(t);
                tot[i] = (System.nanoTime() - t0) / 1e6; pass[i] = t.nanos / 1e6; p = t.passes; v = t.vectors;
            }
            Integer[] idx = new Integer[n / 2];
            for (int i = 0; i < n / 2; i++) idx[i] = n / 2 + i;
            Arrays.sort(idx, Comparator.comparingDouble(i -> tot[i]));
            int b = idx[0], m = idx[idx.length / 2];
            System.out.printf("%s: %d passes (%d vectors); best solve %.1f ms (passes %.1f), median %.1f ms (passes %.1f)%n", args[1], p, v, tot[b], pass[b], tot[m], pass[m]);
        }
    }
}
