import io.geocont.analysis.Continuity;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.svd.Svds;
import io.geocont.train.MlpState;
import io.geocont.train.RunCheckpoint;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What each part of one ContinuityMonitor.measure() costs on real matrices: the final-epoch
 * hidden weights, the cumulative gradient sum and W - W_init of every run's checkpoint under a
 * reproduce-table1 output folder. Single thread, thread CPU time (the 2 cores are shared).
 *
 * Usage (repository root, after mvn package):
 *   java --add-modules jdk.incubator.vector -cp target/geocont-all.jar benchmarks/monitor/MeasureCost.java OUT [reps]
 */
public class MeasureCost {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();

    /** ms of thread CPU time per call, best of the repetitions (each repetition runs every matrix once). */
    static double time(List<Matrix> ms, Svd svd, int reps) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t0 = T.getCurrentThreadCpuTime();
            for (Matrix m : ms) svd.decompose(m);
            best = Math.min(best, (T.getCurrentThreadCpuTime() - t0) / 1e6 / ms.size());
        }
        return best;
    }

    static List<Matrix> split(float[] stack, int layers, int d) {
        List<Matrix> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) out.add(new Matrix(d, d, java.util.Arrays.copyOfRange(stack, l * d * d, (l + 1) * d * d)));
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Path> runs;
        try (Stream<Path> s = Files.list(out)) { runs = s.filter(p -> Files.isRegularFile(p.resolve("checkpoint.bin"))).sorted().toList(); }
        Svd gram = Svds.plan(Svds.Need.ALL_FAST, 0, 0, 0, null).svd(), lead = Svds.plan(Svds.Need.TOP_K, 1, 0, 0, null).svd();
        // pass 0 warms the JIT up on every run's matrices, pass 1 measures
        System.out.printf("%-28s %9s %9s %9s  (ms per 128x128 call, best of %d, thread CPU)%n", "run", "gram W", "lead G", "lead dW", reps);
        double[] tot = new double[3];
        for (int pass = 0; pass < 2; pass++) {
            for (Path run : runs) {
                var ck = RunCheckpoint.read(run.resolve("checkpoint.bin"), MlpState.class);
                float[] w = ck.arrays().get("param:hidden.weight"), w0 = ck.arrays().get("monitor:w_init"), g = ck.arrays().get("monitor:gcum");
                int d = 128, n = d * d, layers = w.length / n;
                List<Matrix> ws = new ArrayList<>(), gs = new ArrayList<>(), ds = new ArrayList<>();
                for (int l = 0; l < layers; l++) {
                    float[] a = java.util.Arrays.copyOfRange(w, l * n, (l + 1) * n), b = java.util.Arrays.copyOfRange(w0, l * n, (l + 1) * n);
                    float[] diff = new float[n];
                    for (int i = 0; i < n; i++) diff[i] = a[i] - b[i];
                    ws.add(new Matrix(d, d, a)); ds.add(new Matrix(d, d, diff));
                    gs.add(new Matrix(d, d, java.util.Arrays.copyOfRange(g, l * n, (l + 1) * n)));
                }
                if (pass == 0) { time(ws, gram, 3); time(gs, lead, 1); time(ds, lead, 1); continue; }
                double a = time(ws, gram, reps), b = time(gs, lead, reps), c = time(ds, lead, reps);
                tot[0] += a; tot[1] += b; tot[2] += c;
                System.out.printf("%-28s %9.3f %9.3f %9.3f%n", run.getFileName(), a, b, c);
            }
        }
        int k = runs.size();
        // one whole measure() per run (after the reference measurement and one step), as the monitor runs it
        double mt = 0, wall = 0;
        for (int pass = 0; pass < 2; pass++) {
            mt = 0;
            wall = 0;
            for (Path run : runs) {
                var ck = RunCheckpoint.read(run.resolve("checkpoint.bin"), MlpState.class);
                float[] w = ck.arrays().get("param:hidden.weight"), w0 = ck.arrays().get("monitor:w_init"), g = ck.arrays().get("monitor:gcum");
                int d = 128, layers = w.length / (d * d);
                io.geocont.monitor.ContinuityMonitor mon = new io.geocont.monitor.ContinuityMonitor(io.geocont.monitor.ContinuityMonitor.Options.defaults());
                mon.measure(split(w0, layers, d));
                mon.stepStacked(g);
                long t0 = T.getCurrentThreadCpuTime(), w0ns = System.nanoTime();
                for (int r = 0; r < reps; r++) { mon.stepStacked(g); mon.measure(split(w, layers, d)); }
                mt += (T.getCurrentThreadCpuTime() - t0) / 1e6 / reps;
                wall += (System.nanoTime() - w0ns) / 1e6 / reps;
            }
        }
        System.out.printf("whole measure(): %.1f ms wall, %.1f ms CPU of the calling thread per call (mean over runs; -Dgeocont.threads=1: all on this thread)%n", wall / k, mt / k);
        System.out.printf("%-28s %9.3f %9.3f %9.3f   per-epoch estimate (12 gram + 24 lead G + 12 lead dW): %.1f ms CPU%n", "mean", tot[0] / k, tot[1] / k, tot[2] / k,
                12 * tot[0] / k + 24 * tot[1] / k + 12 * tot[2] / k);
    }
}
