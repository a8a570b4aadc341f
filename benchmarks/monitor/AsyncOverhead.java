import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.backend.Tensor;
import io.geocont.data.MnistData;
import io.geocont.data.Split;
import io.geocont.models.NormKind;
import io.geocont.models.mlp.MlpConfig;
import io.geocont.models.mlp.MlpModel;
import io.geocont.monitor.ContinuityMonitor;
import io.geocont.monitor.ContinuityRecord;
import io.geocont.train.Optimizer;
import io.geocont.train.TrainConfig;
import io.geocont.util.SplitMix64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a per-epoch measurement costs a training loop in wall time: the quick toy MLP (res-relu,
 * d 128, 12 blocks, 63 SGD steps of 128 per epoch on reshuffled data, the per-step bookkeeping
 * in every mode),
 * epochs cycling through three modes in one JVM so that the machine's drift hits all three:
 * no measurement, ContinuityMonitor.measure at the epoch's end, and measureAsync (the
 * decompositions on the monitor's background thread while the next epoch trains). Prints the
 * median and best epoch per mode after the warm-up epochs.
 *
 * Usage (repository root, after mvn package):
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
 *   $J/java --add-modules jdk.incubator.vector -cp target/geocont-all.jar benchmarks/monitor/AsyncOverhead.java [rounds=20]
 */
public class AsyncOverhead {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20, warm = 12;
        Split data = MnistData.embedded();
        Backend be = Backends.open("cpu", System.err);
        MlpModel model = new MlpModel(be, MlpConfig.quick(true, Activation.RELU, NormKind.NONE), 0);
        TrainConfig tc = TrainConfig.quickDefault();
        int n = data.train().n(), steps = (n + tc.batch() - 1) / tc.batch();
        Optimizer opt = new Optimizer(be, tc.optimizerConfig(), model.parameters(), (long) steps * (warm + 3 * rounds + 1));
        ContinuityMonitor monitor = new ContinuityMonitor(ContinuityMonitor.Options.defaults());
        monitor.measure(model.hiddenWeights());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        String[] modes = {"no measurement", "measure", "measureAsync"};
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<CompletableFuture<ContinuityRecord>> pending = new ArrayList<>();
        SplitMix64 shuffle = new SplitMix64(0x5DEECE66DL);   // a fresh order every epoch, as MlpExperiment does
        for (int e = 0; e < warm + 3 * rounds; e++) {
            for (int i = 0; i < n; i++) order[i] = i;
            shuffle.shuffle(order);
            int mode = e < warm ? e % 3 : (e - warm) % 3;
            long t0 = System.nanoTime();
            epoch(model, opt, monitor, data, order, steps, tc.batch());
            if (mode == 1) monitor.measure(model.hiddenWeights());
            else if (mode == 2) pending.add(monitor.measureAsync(model.hiddenWeights()));
            double t = (System.nanoTime() - t0) / 1e6;
            if (e >= warm) ms.get(mode).add(t);
        }
        for (CompletableFuture<ContinuityRecord> f : pending) f.join();
        for (int m = 0; m < 3; m++) {
            double[] v = ms.get(m).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("%-15s epoch median %6.1f ms, best %6.1f ms (%d epochs)%n", modes[m], v[v.length / 2], v[0], v.length);
        }
        System.exit(0);
    }

    static void epoch(MlpModel model, Optimizer opt, ContinuityMonitor monitor, Split data, int[] order, int steps, int batch) {
        int n = data.train().n();
        for (int s = 0; s < steps; s++) {
            int from = s * batch, b = Math.min(batch, n - from);
            MlpModel.Workspace ws = model.workspace(b);
            ws.load(data.train(), order, from);
            model.forward(ws);
            model.loss(ws);
            model.backward(ws);
            Tensor grads = model.hiddenGradientStack();
            float[] host = grads.hostArrayOrNull();
            monitor.stepStacked(host != null ? host : grads.toArray());
            opt.step();
        }
    }
}
