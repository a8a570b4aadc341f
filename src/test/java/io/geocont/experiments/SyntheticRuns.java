package io.geocont.experiments;

import io.geocont.experiments.VariantNames;
import io.geocont.models.mlp.MlpConfig;
import io.geocont.train.EpochMetrics;
import io.geocont.train.MlpRunResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-made run results with chosen metric values, for aggregation and checker tests. */
final class SyntheticRuns {
    static final int DEPTH = 4, WIDTH = 16;
    static final double BASELINE = 0.2, BASELINE_STD = 0.15;

    /** Per-epoch values of one run: v1 at epoch e = v1Init + (v1Final - v1Init) * e / epochs, etc. */
    record Shape(double acc, double v1Init, double v1Final, double u1, double s2wa, double erank, double gcoh1,
                 double dgw, double driftMid, double driftFinal, double upd) { }

    static MlpRunResult run(String variant, String optimizer, int seed, int epochs, Shape s) {
        MlpConfig m = VariantNames.parse(variant, WIDTH, DEPTH);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("width", WIDTH);
        config.put("depth", DEPTH);
        config.put("classes", 10);
        config.put("residual", m.residual());
        config.put("activation", m.activation().cliName());
        config.put("norm", m.norm().shortName());
        config.put("init", m.init().cliName());
        config.put("optimizer", optimizer);
        config.put("lr", 0.05);
        config.put("seed", seed);
        List<EpochMetrics> eps = new ArrayList<>();
        int mid = Math.max(1, (epochs + 1) / 2);
        for (int e = 0; e <= epochs; e++) {
            double t = (double) e / epochs;
            double v1 = s.v1Init() + (s.v1Final() - s.v1Init()) * t;
            Double gcoh = e == 0 ? null : (e == 1 ? s.gcoh1() : s.gcoh1() * 0.9);
            Double drift = e == 0 ? null : e == 1 ? 0.0 : e <= mid ? s.driftMid() * (e - 1) / Math.max(1, mid - 1)
                    : s.driftMid() + (s.driftFinal() - s.driftMid()) * (e - mid) / (epochs - mid);
            Double dgw = e == 0 ? null : s.dgw();
            eps.add(new EpochMetrics(e, 1.0, s.acc(), 1.0, e == 0 ? 0.1 : s.acc(), 1.0, BASELINE, BASELINE_STD,
                    v1, fill(DEPTH - 1, v1), s.u1(), fill(DEPTH - 1, s.u1()), v1, v1, s.s2wa(), s.s2wa(), s.s2wa(),
                    s.erank(), fill(DEPTH, s.erank()), gcoh, gcoh == null ? null : fill(DEPTH - 1, gcoh), gcoh, null, gcoh,
                    dgw == null ? null : v1 + dgw, null, dgw, drift == null ? null : fill(DEPTH, drift), drift,
                    fill(DEPTH, s.upd() * t), s.upd() * t, e == 0 ? null : 1.0, e == 0 ? null : 0.0, fill(DEPTH, 1.0), 0.5, 0.5, null, 0.0, 0.0, 0.0));
        }
        return new MlpRunResult(variant + "-" + optimizer + "-s" + seed, variant, config, eps, eps.get(eps.size() - 1), 1.0);
    }

    static double[] fill(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** A grid where every section-6 item holds (paper-like numbers). */
    static List<MlpRunResult> paperLike(int epochs) {
        List<MlpRunResult> out = new ArrayList<>();
        for (int seed = 0; seed < 2; seed++) {
            double j = seed * 0.01;
            out.add(run("res-relu", "sgd", seed, epochs, new Shape(0.9, 0.2, 0.9 + j, 0.8, 0.25, 40, 0.9, 0.05, 10, 12, 3)));
            out.add(run("res-gelu", "sgd", seed, epochs, new Shape(0.9, 0.2, 0.85 + j, 0.8, 0.24, 42, 0.92, 0.05, 10, 13, 3)));
            out.add(run("res-none", "sgd", seed, epochs, new Shape(0.8, 0.2, 0.22 + j, 0.2, 0.2, 60, 0.85, 0.4, 30, 60, 1)));
            out.add(run("res-radial-tanh", "sgd", seed, epochs, new Shape(0.85, 0.2, 0.25 + j, 0.2, 0.2, 60, 0.88, 0.4, 25, 50, 0.5)));
            out.add(run("nores-relu-kaiming", "sgd", seed, epochs, new Shape(0.9, 0.2, 0.21 + j, 0.2, 0.2, 60, 0.4, 0.0, 20, 25, 0.7)));
            out.add(run("res-none-ln", "sgd", seed, epochs, new Shape(0.9, 0.2, 0.3 + j, 0.3, 0.3, 70, 0.8, 0.2, 20, 30, 0.5)));
        }
        return out;
    }
}
