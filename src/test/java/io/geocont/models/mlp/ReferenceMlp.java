package io.geocont.models.mlp;

import io.geocont.backend.Activation;
import io.geocont.models.NormKind;

import java.util.Map;

/**
 * An independent float64 re-implementation of the toy MLP's forward pass and mean
 * cross-entropy, written plainly from the definitions in {@link MlpConfig}. Tests differentiate
 * it by central differences and compare with the model's float32 backward pass.
 */
final class ReferenceMlp {
    private final MlpConfig cfg;

    ReferenceMlp(MlpConfig cfg) { this.cfg = cfg; }

    /** Mean cross-entropy of x [batch * inputDim] against y under the parameters p (names as in MlpModel). */
    double loss(Map<String, double[]> p, float[] x, int[] y) {
        int b = y.length, d = cfg.width(), in = cfg.inputDim(), c = cfg.classes(), depth = cfg.depth();
        double total = 0;
        for (int r = 0; r < b; r++) {
            double[] h = new double[d];
            double[] wIn = p.get("input.weight"), bIn = p.get("input.bias");
            for (int i = 0; i < d; i++) {
                double s = bIn[i];
                for (int j = 0; j < in; j++) s += wIn[i * in + j] * x[r * in + j];
                h[i] = s;
            }
            double[] wH = p.get("hidden.weight");
            for (int l = 0; l < depth; l++) {
                double[] n = norm(p, "hidden." + l + ".norm", h);
                double[] z = new double[d];
                double[] bl = p.get("hidden." + l + ".bias");
                for (int i = 0; i < d; i++) {
                    double s = bl[i];
                    for (int j = 0; j < d; j++) s += wH[l * d * d + i * d + j] * n[j];
                    z[i] = s;
                }
                double[] a = act(z);
                for (int i = 0; i < d; i++) h[i] = cfg.residual() ? h[i] + a[i] : a[i];
            }
            double[] n = norm(p, "final_norm", h);
            double[] wOut = p.get("readout.weight"), bOut = p.get("readout.bias");
            double[] logits = new double[c];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                double s = bOut[k];
                for (int j = 0; j < d; j++) s += wOut[k * d + j] * n[j];
                logits[k] = s;
                max = Math.max(max, s);
            }
            double z = 0;
            for (int k = 0; k < c; k++) z += Math.exp(logits[k] - max);
            total += -(logits[y[r]] - max - Math.log(z));
        }
        return total / b;
    }

    private double[] norm(Map<String, double[]> p, String name, double[] x) {
        int d = x.length;
        double[] out = new double[d];
        if (cfg.norm() == NormKind.NONE) return x.clone();
        double[] g = p.get(name + ".gain");
        if (cfg.norm() == NormKind.LAYER) {
            double mean = 0, var = 0;
            for (double v : x) mean += v;
            mean /= d;
            for (double v : x) var += (v - mean) * (v - mean);
            var /= d;
            double rstd = 1 / Math.sqrt(var + MlpModel.NORM_EPS);
            double[] beta = p.get(name + ".bias");
            for (int i = 0; i < d; i++) out[i] = (x[i] - mean) * rstd * g[i] + beta[i];
        } else {
            double ms = 0;
            for (double v : x) ms += v * v;
            double rstd = 1 / Math.sqrt(ms / d + MlpModel.NORM_EPS);
            for (int i = 0; i < d; i++) out[i] = x[i] * rstd * g[i];
        }
        return out;
    }

    private double[] act(double[] z) {
        Activation a = cfg.activation();
        double[] out = new double[z.length];
        if (a.rowWise()) {
            double r = 0;
            for (double v : z) r += v * v;
            r = Math.sqrt(r);
            double f = switch (a) {
                case RADIAL_TANH -> Math.tanh(r) / r;
                case RADIAL_RELU -> Math.max(r - cfg.actParam(), 0) / r;
                case RADIAL_SIGMOID -> 1 / (1 + Math.exp(-r));
                default -> throw new IllegalStateException();
            };
            for (int i = 0; i < z.length; i++) out[i] = f * z[i];
            return out;
        }
        for (int i = 0; i < z.length; i++) {
            double v = z[i];
            out[i] = switch (a) {
                case IDENTITY -> v;
                case RELU -> Math.max(v, 0);
                case GELU -> 0.5 * v * (1 + erf(v / Math.sqrt(2)));
                case SILU -> v / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
                default -> throw new IllegalStateException();
            };
        }
        return out;
    }

    /** erf by its Maclaurin series (|x| < 3) or asymptotic continued fraction; ~1e-15 accurate on what tests use. */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 5) return Math.signum(x);
        double sum = 0, term = ax;
        for (int n = 0; n < 200; n++) {
            double t = term / (2 * n + 1);
            sum += t;
            if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
            term *= -ax * ax / (n + 1);
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
    }
}
