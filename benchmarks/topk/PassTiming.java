/*
 * Wall time of one fused A^T (A x) pass (Matrix.applyGram, one and two vectors) on heap float32
 * matrices of the peer families' shapes: median of each round's calls, median over rounds.
 * The numpy side of the same question: benchmarks/topk/gram_pass_peer.py.
 *
 * Usage (repository root, after mvn package):
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
 *   $J/javac -cp target/classes -d /tmp/pt benchmarks/topk/PassTiming.java
 *   $J/java --add-modules jdk.incubator.vector -Dgeocont.threads=2 -cp target/classes:/tmp/pt PassTiming 5
 */
import io.geocont.linalg.Matrix;
import java.util.*;
public class PassTiming {
    public static void main(String[] a) {
        int[][] shapes = {{384, 384}, {384, 1536}, {1536, 384}, {768, 768}, {768, 3072}, {1024, 4096}};
        Random rnd = new Random(1);
        Matrix[] ms = new Matrix[shapes.length];
        for (int s = 0; s < shapes.length; s++) {
            float[] d = new float[shapes[s][0] * shapes[s][1]];
            for (int i = 0; i < d.length; i++) d[i] = (float) rnd.nextGaussian();
            ms[s] = new Matrix(shapes[s][0], shapes[s][1], d);
        }
        int rounds = Integer.parseInt(a.length > 0 ? a[0] : "7");
        double[][][] t = new double[shapes.length][2][rounds];
        for (int r = -3; r < rounds; r++)
            for (int s = 0; s < shapes.length; s++)
                for (int b = 1; b <= 2; b++) {
                    Matrix m = ms[s];
                    float[][] x = new float[b][m.cols()]; double[][] y = new double[b][m.rows()], z = new double[b][m.cols()];
                    for (float[] v : x) for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
                    int reps = (int) Math.max(20, 2e8 / ((long) m.rows() * m.cols() * 8));
                    long[] each = new long[reps];
                    for (int k = 0; k < reps; k++) { long t0 = System.nanoTime(); m.applyGram(x, y, z); each[k] = System.nanoTime() - t0; }
                    Arrays.sort(each);
                    if (r >= 0) t[s][b - 1][r] = each[reps / 2] / 1e3;
                }
        for (int s = 0; s < shapes.length; s++) {
            StringBuilder sb = new StringBuilder(String.format("%5d x %-5d", shapes[s][0], shapes[s][1]));
            for (int b = 0; b < 2; b++) { double[] v = t[s][b].clone(); Arrays.sort(v); sb.append(String.format("  %dv median-of-medians %8.1f us (min %8.1f)", b + 1, v[rounds / 2], v[0])); }
            System.out.println(sb);
        }
    }
}
