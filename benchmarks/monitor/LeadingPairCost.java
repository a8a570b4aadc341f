import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.TopKOptions;
import io.geocont.linalg.svd.Svds;
import io.geocont.train.MlpState;
import io.geocont.train.RunCheckpoint;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The monitor's leading-pair solves on real matrices, per Lanczos basis size: the final
 * cumulative gradient sum and W - W_init of every layer of every run's checkpoint under a
 * reproduce-table1 output folder (128 x 128 each), top-1 with the default options but the basis.
 * Prints microseconds of thread CPU per solve and passes per solve, for the default basis (0)
 * and 6, 8, 10, 12, 16 vectors; the last rounds count (the first ones warm the JIT up).
 *
 * Usage (repository root, after mvn package):
 *   java --add-modules jdk.incubator.vector -Dgeocont.threads=1 -cp target/geocont-all.jar benchmarks/monitor/LeadingPairCost.java OUT
 */
public class LeadingPairCost {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    /** Counts passes (calls of applyGram). */
    static final class Counting implements GramOperator {
        final Matrix a;
        int passes;
        Counting(Matrix a) { this.a = a; }
        @Override public int rows() { return a.rows(); }
        @Override public int cols() { return a.cols(); }
        @Override public void applyGram(float[][] x, double[][] y, double[][] z) { passes++; a.applyGram(x, y, z); }
        @Override public double frobeniusSq() { return a.frobeniusSq(); }
        @Override public String findNonFinite() { return a.findNonFinite(); }
        @Override public Matrix toMatrix() { return a; }
        @Override public String describe() { return "counted " + a.describe(); }
    }

    public static void main(String[] args) throws Exception {
        List<Matrix> ms = new ArrayList<>();
        List<Path> runs;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) { runs = s.filter(p -> Files.isRegularFile(p.resolve("checkpoint.bin"))).sorted().toList(); }
        for (Path run : runs) {
            var ck = RunCheckpoint.read(run.resolve("checkpoint.bin"), MlpState.class);
            float[] w = ck.arrays().get("param:hidden.weight"), w0 = ck.arrays().get("monitor:w_init"), g = ck.arrays().get("monitor:gcum");
            int d = 128, n = d * d;
            for (int l = 0; l < w.length / n; l++) {
                float[] diff = new float[n];
                for (int i = 0; i < n; i++) diff[i] = w[l * n + i] - w0[l * n + i];
                ms.add(new Matrix(d, d, diff));
                ms.add(new Matrix(d, d, Arrays.copyOfRange(g, l * n, (l + 1) * n)));
            }
        }
        int[] bases = {0, 6, 8, 10, 12, 16};
        double[] bestUs = new double[bases.length];
        double[] passes = new double[bases.length];
        Arrays.fill(bestUs, Double.MAX_VALUE);
        for (int round = 0; round < 6; round++) {
            for (int b = 0; b < bases.length; b++) {
                Svd svd = Svds.topK(1, TopKOptions.DEFAULTS.withBasis(bases[b]));
                long count = 0, t0 = T.getCurrentThreadCpuTime();
                for (Matrix m : ms) { Counting c = new Counting(m); svd.decompose(c); count += c.passes; }
                double us = (T.getCurrentThreadCpuTime() - t0) / 1e3 / ms.size();
                if (round >= 3) bestUs[b] = Math.min(bestUs[b], us);
                passes[b] = (double) count / ms.size();
            }
        }
        System.out.printf("%d matrices (128 x 128: gradient sums and W - W_init of %d runs), top-1, thread CPU:%n", ms.size(), runs.size());
        for (int b = 0; b < bases.length; b++)
            System.out.printf("  basis %-12s %6.1f us per solve, %.2f passes%n",
                    bases[b] == 0 ? "default (" + TopKOptions.DEFAULTS.basisFor(1, 128, 128) + ")" : String.valueOf(bases[b]), bestUs[b], passes[b]);
    }
}
