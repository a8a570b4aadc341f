package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.OpContracts;
import io.geocont.backend.Tensor;
import io.geocont.linalg.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.geocont.backend.cpu.CpuOps.F;
import static io.geocont.backend.cpu.CpuOps.arr;
import static io.geocont.backend.cpu.CpuOps.arrOrNull;
import static io.geocont.backend.cpu.CpuOps.columnGrain;
import static io.geocont.backend.cpu.CpuOps.rowGrain;

/**
 * The fused layer ops of {@link CpuBackend}, one method per op, in the order and grouping of
 * their CUDA twins in {@code kernels/layers.cu}: bias + activation (+ residual), the gated
 * activation, LayerNorm and RMSNorm, forward and backward.
 */
final class LayerOps {
    private final CpuOps.Splitter splitter;
    private final ElementwiseOps elementwise;   // dBias is a column sum, as on the GPU

    LayerOps(CpuOps.Splitter splitter, ElementwiseOps elementwise) {
        this.splitter = splitter;
        this.elementwise = elementwise;
    }

    private void forRange(int n, int grain, Parallel.RangeBody body) { splitter.forRange(n, grain, body); }

    void biasActForward(Tensor z, Tensor bias, Activation act, float actParam, Tensor residual, Tensor out) {
        String op = "biasActForward(" + act + ")";
        float[] zv = arr(op, "z", z), ov = arr(op, "out", out);
        float[] bv = arrOrNull(op, "bias", bias), rv = arrOrNull(op, "residual", residual);
        int rows = z.rows(), cols = z.cols();
        OpContracts.biasActForward(op, z, bias, residual, out);
        if (zv == ov) throw new IllegalArgumentException(op + ": out must not alias z (z keeps the pre-activation)");
        if (act == Activation.RELU || act == Activation.IDENTITY) {
            forRange(rows, rowGrain(cols), (r0, r1) -> {
                for (int r = r0; r < r1; r++) BiasRelu.apply(act == Activation.RELU, zv, bv, 0, rv, ov, r * cols, cols);
            });
            return;
        }
        // GELU and SiLU each in a lambda of its own: one compiled unit per vector kernel (see VectorActivationMath)
        if (act == Activation.GELU) {
            forRange(rows, rowGrain(cols), (r0, r1) -> {
                for (int r = r0; r < r1; r++) VectorActivationMath.biasGeluRow(zv, bv, rv, ov, r * cols, cols);
            });
            return;
        }
        if (act == Activation.SILU) {
            forRange(rows, rowGrain(cols), (r0, r1) -> {
                for (int r = r0; r < r1; r++) VectorActivationMath.biasSiluRow(zv, bv, rv, ov, r * cols, cols);
            });
            return;
        }
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            float[] row = rv == null || act.rowWise() ? null : new float[cols];
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (bv != null) for (int j = 0; j < cols; j++) zv[base + j] += bv[j];
                if (act.rowWise()) {
                    double g = ActivationMath.radialGain(act, norm(zv, base, cols), actParam);
                    for (int j = 0; j < cols; j++) ov[base + j] = (float) (g * zv[base + j]) + (rv == null ? 0f : rv[base + j]);
                } else if (rv == null) {
                    elementwiseForward(act, zv, base, cols, ov);
                } else { // via a row buffer: out may alias residual
                    elementwiseForward(act, zv, base, cols, row, 0);
                    for (int j = 0; j < cols; j++) ov[base + j] = row[j] + rv[base + j];
                }
            }
        });
    }

    void biasActBackward(Tensor dOut, Tensor pre, Activation act, float actParam, Tensor dPre, Tensor dBias) {
        String op = "biasActBackward(" + act + ")";
        float[] dov = arr(op, "dOut", dOut), pv = arr(op, "pre", pre), dpv = arr(op, "dPre", dPre);
        int rows = pre.rows(), cols = pre.cols();
        OpContracts.biasActBackward(op, dOut, pre, dPre, dBias);
        // GELU and SiLU each in a lambda of its own (as in biasActForward), over the rows' contiguous range
        if (act == Activation.GELU) forRange(rows, rowGrain(cols), (r0, r1) -> VectorActivationMath.geluBackward(pv, dov, dpv, r0 * cols, (r1 - r0) * cols));
        else if (act == Activation.SILU) forRange(rows, rowGrain(cols), (r0, r1) -> VectorActivationMath.siluBackward(pv, dov, dpv, r0 * cols, (r1 - r0) * cols));
        else forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (act.rowWise()) radialJvp(act, actParam, pv, base, dov, base, null, dpv, base, cols);
                else elementwiseBackward(act, pv, dov, dpv, base, cols);
            }
        });
        if (dBias != null) elementwise.columnSums(op, dpv, rows, cols, arr(op, "dBias", dBias), false);
    }

    /**
     * out[off..off+n) = act(x[off..off+n)) for an element-wise activation. One loop per
     * activation (the switch is outside the loop so C2 can vectorize ReLU and identity); values
     * go through {@link ActivationMath} in double, rounded once. (GELU and SiLU do not come here:
     * biasActForward runs them in one vector pass, {@link VectorActivationMath#biasGeluRow}.)
     */
    private static void elementwiseForward(Activation act, float[] x, int off, int n, float[] out) {
        elementwiseForward(act, x, off, n, out, off);
    }

    /** out[o..o+n) = act(x[off..off+n)). */
    private static void elementwiseForward(Activation act, float[] x, int off, int n, float[] out, int o) {
        int d = o - off;
        int end = off + n;
        switch (act) {
            case IDENTITY -> System.arraycopy(x, off, out, o, n);
            case RELU -> { // vectorized and branch-free (random signs would defeat branch prediction); NaN propagates
                int j = off;
                for (int bound = off + F.loopBound(n); j < bound; j += F.length())
                    FloatVector.fromArray(F, x, j).max(0f).intoArray(out, j + d);
                for (; j < end; j++) out[j + d] = Math.max(x[j], 0f);
            }
            case TANH -> { for (int j = off; j < end; j++) out[j + d] = (float) Math.tanh(x[j]); }
            default -> throw new IllegalArgumentException(act + " is row-wise, not element-wise");
        }
    }

    /** dPre = dOut * act'(pre) element-wise over [off, off+n); dPre may alias dOut. */
    private static void elementwiseBackward(Activation act, float[] pre, float[] dOut, float[] dPre, int off, int n) {
        int end = off + n;
        switch (act) {
            case IDENTITY -> System.arraycopy(dOut, off, dPre, off, n);
            case RELU -> { // relu'(x) = 1 for x > 0, else 0 (also at 0, PyTorch's convention)
                int j = off;
                FloatVector zero = FloatVector.zero(F);
                for (int bound = off + F.loopBound(n); j < bound; j += F.length()) {
                    FloatVector p = FloatVector.fromArray(F, pre, j);
                    zero.blend(FloatVector.fromArray(F, dOut, j), p.compare(VectorOperators.GT, 0f)).intoArray(dPre, j);
                }
                for (; j < end; j++) dPre[j] = pre[j] > 0f ? dOut[j] : 0f;
            }
            default -> { for (int j = off; j < end; j++) dPre[j] = (float) (dOut[j] * ActivationMath.derivative(act, pre[j])); }
        }
    }

    /**
     * dst = J(h)^T (d * scale) for a radial activation at h = src[srcOff .. +cols], where the
     * optional {@code scale} multiplies d element-wise (the gated form's up). dst may alias d.
     */
    private static void radialJvp(Activation act, float param, float[] src, int srcOff, float[] d, int dOff,
                                  float[] scale, float[] dst, int dstOff, int cols) {
        double r2 = 0, hd = 0;
        for (int j = 0; j < cols; j++) {
            double h = src[srcOff + j], dj = scale == null ? d[dOff + j] : (double) d[dOff + j] * scale[dOff + j];
            r2 += h * h;
            hd += h * dj;
        }
        double r = Math.sqrt(r2);
        double g = ActivationMath.radialGain(act, r, param);
        double coef = r == 0 ? 0.0 : ActivationMath.radialGainDerivativeTimesR(act, r, param) * hd / r2;
        for (int j = 0; j < cols; j++) {
            double dj = scale == null ? d[dOff + j] : (double) d[dOff + j] * scale[dOff + j];
            dst[dstOff + j] = (float) (g * dj + coef * src[srcOff + j]);
        }
    }

    private static double norm(float[] x, int off, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) s += (double) x[off + j] * x[off + j];
        return Math.sqrt(s);
    }

    void gatedActForward(Tensor gate, Tensor up, Activation act, float actParam, Tensor out) {
        String op = "gatedActForward(" + act + ")";
        float[] gv = arr(op, "gate", gate), uv = arr(op, "up", up), ov = arr(op, "out", out);
        OpContracts.gatedActForward(op, gate, up, out);
        int rows = gate.rows(), cols = gate.cols();
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (act.rowWise()) {
                    double g = ActivationMath.radialGain(act, norm(gv, base, cols), actParam);
                    for (int j = 0; j < cols; j++) ov[base + j] = (float) (g * gv[base + j] * uv[base + j]);
                } else if (act == Activation.SILU) { // SwiGLU, the transformer default
                    GatedSilu.forwardRow(gv, uv, ov, base, cols);
                } else {
                    for (int j = 0; j < cols; j++)
                        ov[base + j] = (float) (ActivationMath.value(act, gv[base + j]) * uv[base + j]);
                }
            }
        });
    }

    void gatedActBackward(Tensor dOut, Tensor gate, Tensor up, Activation act, float actParam,
                          Tensor dGate, Tensor dUp) {
        String op = "gatedActBackward(" + act + ")";
        float[] dov = arr(op, "dOut", dOut), gv = arr(op, "gate", gate), uv = arr(op, "up", up);
        float[] dgv = arr(op, "dGate", dGate), duv = arr(op, "dUp", dUp);
        OpContracts.gatedActBackward(op, dOut, gate, up, dGate, dUp);
        int rows = gate.rows(), cols = gate.cols();
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                if (act.rowWise()) {
                    double g = ActivationMath.radialGain(act, norm(gv, base, cols), actParam);
                    // dUp first: it needs dOut, which dGate may overwrite.
                    float[] dupRow = new float[cols];
                    for (int j = 0; j < cols; j++) dupRow[j] = (float) (g * gv[base + j] * dov[base + j]);
                    radialJvp(act, actParam, gv, base, dov, base, uv, dgv, base, cols);
                    System.arraycopy(dupRow, 0, duv, base, cols);
                } else if (act == Activation.SILU) {
                    GatedSilu.backwardRow(dov, gv, uv, dgv, duv, base, cols);
                } else {
                    for (int j = 0; j < cols; j++) {
                        double x = gv[base + j], d = dov[base + j];
                        dgv[base + j] = (float) (d * uv[base + j] * ActivationMath.derivative(act, x));
                        duv[base + j] = (float) (d * ActivationMath.value(act, x));
                    }
                }
            }
        });
    }

    void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        String op = "layerNormForward";
        float[] xv = arr(op, "x", x), ov = arr(op, "out", out), mv = arr(op, "mean", mean), sv = arr(op, "rstd", rstd);
        float[] gv = arrOrNull(op, "gamma", gamma), bv = arrOrNull(op, "beta", beta);
        int rows = x.rows(), cols = x.cols();
        OpContracts.layerNormForward(op, x, gamma, beta, out, mean, rstd);
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                double s = 0;
                for (int j = 0; j < cols; j++) s += xv[base + j];
                double mu = s / cols, v = 0;
                for (int j = 0; j < cols; j++) {
                    double dx = xv[base + j] - mu;
                    v += dx * dx;
                }
                float muF = (float) mu, rs = (float) (1.0 / Math.sqrt(v / cols + eps));
                mv[r] = muF;
                sv[r] = rs;
                for (int j = 0; j < cols; j++) {
                    float xh = (xv[base + j] - muF) * rs;
                    ov[base + j] = xh * (gv == null ? 1f : gv[j]) + (bv == null ? 0f : bv[j]);
                }
            }
        });
    }

    void layerNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                           Tensor dx, Tensor dGamma, Tensor dBeta) {
        String op = "layerNormBackward";
        float[] dov = arr(op, "dOut", dOut), xv = arr(op, "x", x), mv = arr(op, "mean", mean), sv = arr(op, "rstd", rstd);
        float[] dxv = arr(op, "dx", dx), gv = arrOrNull(op, "gamma", gamma);
        float[] dgv = arrOrNull(op, "dGamma", dGamma), dbv = arrOrNull(op, "dBeta", dBeta);
        int rows = x.rows(), cols = x.cols();
        OpContracts.layerNormBackward(op, dOut, x, gamma, mean, rstd, dx, dGamma, dBeta);
        // Parameter gradients first (they read dOut, which dx may overwrite): by column, rows in order.
        if (dgv != null || dbv != null) {
            forRange(cols, columnGrain(rows), (c0, c1) -> {
                int w = c1 - c0;
                double[] ag = new double[w], ab = new double[w];
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    float mu = mv[r], rs = sv[r];
                    for (int j = c0; j < c1; j++) {
                        float d = dov[base + j];
                        ag[j - c0] += (double) d * ((xv[base + j] - mu) * rs);
                        ab[j - c0] += d;
                    }
                }
                for (int j = c0; j < c1; j++) {
                    if (dgv != null) dgv[j] += (float) ag[j - c0];
                    if (dbv != null) dbv[j] += (float) ab[j - c0];
                }
            });
        }
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                float mu = mv[r], rs = sv[r];
                double sd = 0, sdx = 0;
                for (int j = 0; j < cols; j++) {
                    double dxh = (double) dov[base + j] * (gv == null ? 1f : gv[j]);
                    sd += dxh;
                    sdx += dxh * ((xv[base + j] - mu) * rs);
                }
                double a = sd / cols, b = sdx / cols;
                for (int j = 0; j < cols; j++) {
                    double dxh = (double) dov[base + j] * (gv == null ? 1f : gv[j]);
                    double xh = (xv[base + j] - mu) * rs;
                    dxv[base + j] = (float) (rs * (dxh - a - xh * b));
                }
            }
        });
    }

    void rmsNormForward(Tensor x, Tensor gamma, float eps, Tensor out, Tensor rstd) {
        String op = "rmsNormForward";
        float[] xv = arr(op, "x", x), ov = arr(op, "out", out), sv = arr(op, "rstd", rstd), gv = arrOrNull(op, "gamma", gamma);
        int rows = x.rows(), cols = x.cols();
        OpContracts.rmsNormForward(op, x, gamma, out, rstd);
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                double s = 0;
                for (int j = 0; j < cols; j++) s += (double) xv[base + j] * xv[base + j];
                float rs = (float) (1.0 / Math.sqrt(s / cols + eps));
                sv[r] = rs;
                for (int j = 0; j < cols; j++) ov[base + j] = xv[base + j] * rs * (gv == null ? 1f : gv[j]);
            }
        });
    }

    void rmsNormBackward(Tensor dOut, Tensor x, Tensor gamma, Tensor rstd, Tensor dx, Tensor dGamma) {
        String op = "rmsNormBackward";
        float[] dov = arr(op, "dOut", dOut), xv = arr(op, "x", x), sv = arr(op, "rstd", rstd), dxv = arr(op, "dx", dx);
        float[] gv = arrOrNull(op, "gamma", gamma), dgv = arrOrNull(op, "dGamma", dGamma);
        int rows = x.rows(), cols = x.cols();
        OpContracts.rmsNormBackward(op, dOut, x, gamma, rstd, dx, dGamma);
        if (dgv != null) {
            forRange(cols, columnGrain(rows), (c0, c1) -> {
                double[] ag = new double[c1 - c0];
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    float rs = sv[r];
                    for (int j = c0; j < c1; j++) ag[j - c0] += (double) dov[base + j] * (xv[base + j] * rs);
                }
                for (int j = c0; j < c1; j++) dgv[j] += (float) ag[j - c0];
            });
        }
        forRange(rows, rowGrain(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                float rs = sv[r];
                double sdx = 0;
                for (int j = 0; j < cols; j++)
                    sdx += (double) dov[base + j] * (gv == null ? 1f : gv[j]) * (xv[base + j] * rs);
                double b = sdx / cols;
                for (int j = 0; j < cols; j++) {
                    double dxh = (double) dov[base + j] * (gv == null ? 1f : gv[j]);
                    dxv[base + j] = (float) (rs * (dxh - (xv[base + j] * rs) * b));
                }
            }
        });
    }
}
