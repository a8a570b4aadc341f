package io.geocont.models.mlp;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.models.NormKind;
import io.geocont.models.Param;
import io.geocont.util.SplitMix64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The whole model's float32 backward pass (weights, biases, norm gains and biases of every
 * layer) against central differences of an independent float64 forward pass, per variant.
 */
class MlpGradientTest {
    static Backend be;

    @BeforeAll static void open() { be = Backends.open("cpu", null); }

    @AfterAll static void close() { be.close(); }

    static Stream<Arguments> variants() {
        List<Arguments> v = new ArrayList<>();
        for (boolean res : new boolean[]{true, false})
            for (Activation a : Activation.values())
                v.add(Arguments.of(res, a, NormKind.NONE));
        for (boolean res : new boolean[]{true, false})
            for (NormKind n : new NormKind[]{NormKind.LAYER, NormKind.RMS})
                for (Activation a : new Activation[]{Activation.RELU, Activation.IDENTITY, Activation.RADIAL_TANH})
                    v.add(Arguments.of(res, a, n));
        return v.stream();
    }

    @ParameterizedTest(name = "residual={0} act={1} norm={2}")
    @MethodSource("variants")
    void backwardMatchesFloat64FiniteDifferences(boolean residual, Activation act, NormKind norm) {
        int in = 5, d = 6, depth = 3, classes = 3, batch = 4;
        float actParam = act == Activation.RADIAL_RELU ? 0.5f : 0f;
        MlpConfig cfg = new MlpConfig(in, d, depth, classes, residual, act, actParam, norm, InitKind.PYTORCH);
        SplitMix64 rng = new SplitMix64(7);
        float[] x = new float[batch * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * rng.nextGaussian());
        int[] y = {0, 2, 1, 2};
        try (MlpModel model = new MlpModel(be, cfg, 11)) {
            if (norm != NormKind.NONE) perturbNorms(model, rng);   // gains 1 and biases 0 would hide mistakes
            MlpModel.Workspace ws = model.workspace(batch);
            ws.load(x, y);
            model.forward(ws);
            model.loss(ws);
            model.backward(ws);
            float[] rowLoss = ws.rowLosses();
            double loss32 = 0;
            for (float r : rowLoss) loss32 += r;
            loss32 /= batch;

            Map<String, double[]> p = new LinkedHashMap<>();
            for (Param q : model.parameters()) p.put(q.name(), toDouble(q.value().toArray()));
            ReferenceMlp ref = new ReferenceMlp(cfg);
            double loss64 = ref.loss(p, x, y);
            assertEquals(loss64, loss32, 1e-4 * Math.max(1, Math.abs(loss64)), "forward loss");

            int checked = 0;
            for (Param q : model.parameters()) {
                float[] g = q.grad().toArray();
                double[] w = p.get(q.name());
                double[] fd = new double[w.length];
                double scale = 0;
                for (int i = 0; i < w.length; i++) {
                    double keep = w[i], h = 1e-6 * Math.max(1, Math.abs(keep));
                    w[i] = keep + h;
                    double lp = ref.loss(p, x, y);
                    w[i] = keep - h;
                    double lm = ref.loss(p, x, y);
                    w[i] = keep;
                    fd[i] = (lp - lm) / (2 * h);
                    scale = Math.max(scale, Math.abs(fd[i]));
                }
                for (int i = 0; i < w.length; i++) {
                    double tol = 2e-3 * scale + 2e-5;
                    assertEquals(fd[i], g[i], tol, q.name() + "[" + i + "] (max |grad| " + scale + ")");
                }
                checked += w.length;
            }
            assertTrue(checked >= in * d + depth * d * d + classes * d, "every weight was checked");
        }
    }

    private static void perturbNorms(MlpModel model, SplitMix64 rng) {
        for (Param q : model.parameters()) {
            if (!q.name().contains("norm")) continue;
            float[] v = q.value().toArray();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.3 * rng.nextGaussian());
            q.value().copyFrom(v);
        }
    }

    private static double[] toDouble(float[] a) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i];
        return o;
    }
}
