package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static io.geocont.backend.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every backward op against finite differences of its own forward (see {@link GradCheck}). */
class BackwardGradientTest {
    private static final CpuBackend B = new CpuBackend(2);
    private static final int ROWS = 3, COLS = 8;
    private static final float RADIAL_B = 1.0f; // rows of 8 N(0,1) entries have norm ~2.8, far from b

    @AfterAll static void close() { B.close(); }

    private static Tensor t(float[] x, int... shape) { return B.fromArray(x, shape); }

    /** Inputs for an activation: away from ReLU's kink; radial rows well away from r = b. */
    private static float[] activationInput(Activation act, Random rnd, int rows, int cols) {
        float[] z = randnAwayFromZero(rnd, rows * cols, 0.1);
        if (act == Activation.RADIAL_RELU) // every row norm in [2, 4]: away from b = 1 and from 0
            for (int r = 0; r < rows; r++) {
                double n = 0;
                for (int j = 0; j < cols; j++) n += z[r * cols + j] * z[r * cols + j];
                double target = 2 + 2 * rnd.nextDouble();
                for (int j = 0; j < cols; j++) z[r * cols + j] *= (float) (target / Math.sqrt(n));
            }
        return z;
    }

    private static float[] biasActOut(float[] z, float[] bias, Activation act, float[] residual) {
        Tensor out = B.zeros(ROWS, COLS);
        B.biasActForward(t(z, ROWS, COLS), bias == null ? null : t(bias, COLS), act, RADIAL_B,
                residual == null ? null : t(residual, ROWS, COLS), out);
        return out.toArray();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void biasActBackwardMatchesFiniteDifferences(Activation act) {
        Random rnd = new Random(11 + act.ordinal());
        float[] bias = randn(rnd, COLS, 0.05);
        float[] z = activationInput(act, rnd, ROWS, COLS);
        for (int i = 0; i < z.length; i++) z[i] -= bias[i % COLS]; // so that z + bias is the chosen input
        float[] w = randn(rnd, ROWS * COLS, 1);
        float[] residual = randn(rnd, ROWS * COLS, 1);

        Tensor zt = t(z, ROWS, COLS), out = B.zeros(ROWS, COLS);
        B.biasActForward(zt, t(bias, COLS), act, RADIAL_B, null, out);
        Tensor dPre = B.zeros(ROWS, COLS), dBias = B.fromArray(new float[COLS], COLS);
        B.biasActBackward(t(w, ROWS, COLS), zt, act, RADIAL_B, dPre, dBias);

        assertGradient(act + " dz", dPre.toArray(), numeric(z, w, zz -> biasActOut(zz, bias, act, null)));
        assertGradient(act + " dBias", dBias.toArray(), numeric(bias, w, bb -> biasActOut(z, bb, act, null)));

        // With a residual: the output shifts by exactly the residual, the gradient w.r.t. z is unchanged.
        float[] plain = biasActOut(z, bias, act, null), withRes = biasActOut(z, bias, act, residual);
        for (int i = 0; i < plain.length; i++) assertEquals(plain[i] + residual[i], withRes[i], 1e-6f * (1 + Math.abs(withRes[i])));
        assertGradient(act + " dz with residual", dPre.toArray(), numeric(z, w, zz -> biasActOut(zz, bias, act, residual)));
        // dPre may alias dOut.
        Tensor dOutAlias = t(w, ROWS, COLS);
        B.biasActBackward(dOutAlias, zt, act, RADIAL_B, dOutAlias, null);
        assertArrayEquals(dPre.toArray(), dOutAlias.toArray(), 0f);
    }

    @Test
    void outMayAliasResidual() {
        Random rnd = new Random(3);
        float[] z = randn(rnd, ROWS * COLS, 1), res = randn(rnd, ROWS * COLS, 1);
        float[] expected = biasActOut(z, null, Activation.GELU, res);
        Tensor r = t(res, ROWS, COLS);
        B.biasActForward(t(z, ROWS, COLS), null, Activation.GELU, 0, r, r);
        assertArrayEquals(expected, r.toArray(), 0f);
        assertThrows(IllegalArgumentException.class, () -> {
            Tensor zz = t(z, ROWS, COLS);
            B.biasActForward(zz, null, Activation.RELU, 0, null, zz);
        });
    }

    private static float[] gatedOut(float[] gate, float[] up, Activation act) {
        Tensor out = B.zeros(ROWS, COLS);
        B.gatedActForward(t(gate, ROWS, COLS), t(up, ROWS, COLS), act, RADIAL_B, out);
        return out.toArray();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gatedActBackwardMatchesFiniteDifferences(Activation act) {
        Random rnd = new Random(23 + act.ordinal());
        float[] gate = activationInput(act, rnd, ROWS, COLS), up = randn(rnd, ROWS * COLS, 1);
        float[] w = randn(rnd, ROWS * COLS, 1);
        Tensor dGate = B.zeros(ROWS, COLS), dUp = B.zeros(ROWS, COLS);
        B.gatedActBackward(t(w, ROWS, COLS), t(gate, ROWS, COLS), t(up, ROWS, COLS), act, RADIAL_B, dGate, dUp);
        assertGradient(act + " dGate", dGate.toArray(), numeric(gate, w, g -> gatedOut(g, up, act)));
        assertGradient(act + " dUp", dUp.toArray(), numeric(up, w, u -> gatedOut(gate, u, act)));
        // SwiGLU spot value: out = silu(g) * u.
        if (act == Activation.SILU) {
            float[] out = gatedOut(gate, up, act);
            double g = gate[5];
            assertEquals(g / (1 + Math.exp(-g)) * up[5], out[5], 1e-6);
        }
    }

    private static float[] layerNormOut(float[] x, float[] gamma, float[] beta) {
        Tensor out = B.zeros(ROWS, COLS);
        B.layerNormForward(t(x, ROWS, COLS), t(gamma, COLS), t(beta, COLS), 1e-5f, out, B.zeros(ROWS), B.zeros(ROWS));
        return out.toArray();
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        Random rnd = new Random(5);
        float[] x = randn(rnd, ROWS * COLS, 1), gamma = randn(rnd, COLS, 1), beta = randn(rnd, COLS, 1);
        float[] w = randn(rnd, ROWS * COLS, 1);
        Tensor xt = t(x, ROWS, COLS), out = B.zeros(ROWS, COLS), mean = B.zeros(ROWS), rstd = B.zeros(ROWS);
        B.layerNormForward(xt, t(gamma, COLS), t(beta, COLS), 1e-5f, out, mean, rstd);
        // Forward sanity: with gamma = 1, beta = 0 each row has mean 0 and variance ~1.
        Tensor plain = B.zeros(ROWS, COLS);
        B.layerNormForward(xt, null, null, 1e-5f, plain, B.zeros(ROWS), B.zeros(ROWS));
        float[] p = plain.toArray();
        for (int r = 0; r < ROWS; r++) {
            double s = 0, s2 = 0;
            for (int j = 0; j < COLS; j++) { s += p[r * COLS + j]; s2 += p[r * COLS + j] * p[r * COLS + j]; }
            assertEquals(0, s / COLS, 1e-6);
            assertEquals(1, s2 / COLS, 1e-4);
        }
        float[] g0 = randn(rnd, COLS, 1), b0 = randn(rnd, COLS, 1); // dGamma/dBeta accumulate onto these
        Tensor dx = B.zeros(ROWS, COLS), dGamma = t(g0, COLS), dBeta = t(b0, COLS);
        B.layerNormBackward(t(w, ROWS, COLS), xt, t(gamma, COLS), mean, rstd, dx, dGamma, dBeta);
        assertGradient("LayerNorm dx", dx.toArray(), numeric(x, w, xx -> layerNormOut(xx, gamma, beta)));
        assertGradient("LayerNorm dGamma", minus(dGamma.toArray(), g0), numeric(gamma, w, gg -> layerNormOut(x, gg, beta)));
        assertGradient("LayerNorm dBeta", minus(dBeta.toArray(), b0), numeric(beta, w, bb -> layerNormOut(x, gamma, bb)));
    }

    private static float[] rmsOut(float[] x, float[] gamma) {
        Tensor out = B.zeros(ROWS, COLS);
        B.rmsNormForward(t(x, ROWS, COLS), t(gamma, COLS), 1e-6f, out, B.zeros(ROWS));
        return out.toArray();
    }

    @Test
    void rmsNormBackwardMatchesFiniteDifferences() {
        Random rnd = new Random(6);
        float[] x = randn(rnd, ROWS * COLS, 1), gamma = randn(rnd, COLS, 1), w = randn(rnd, ROWS * COLS, 1);
        Tensor xt = t(x, ROWS, COLS), rstd = B.zeros(ROWS);
        B.rmsNormForward(xt, t(gamma, COLS), 1e-6f, B.zeros(ROWS, COLS), rstd);
        double ms = 0;
        for (int j = 0; j < COLS; j++) ms += x[j] * x[j];
        assertEquals(1 / Math.sqrt(ms / COLS + 1e-6), rstd.toArray()[0], 1e-6);
        float[] g0 = randn(rnd, COLS, 1);
        Tensor dx = B.zeros(ROWS, COLS), dGamma = t(g0, COLS);
        B.rmsNormBackward(t(w, ROWS, COLS), xt, t(gamma, COLS), rstd, dx, dGamma);
        assertGradient("RMSNorm dx", dx.toArray(), numeric(x, w, xx -> rmsOut(xx, gamma)));
        assertGradient("RMSNorm dGamma", minus(dGamma.toArray(), g0), numeric(gamma, w, gg -> rmsOut(x, gg)));
    }

    private static float[] meanLoss(float[] logits, float[] labels, int rows, int classes) {
        Tensor loss = B.zeros(rows);
        B.softmaxCrossEntropy(t(logits, rows, classes), t(labels, rows), B.zeros(rows, classes), loss);
        float[] l = loss.toArray();
        double s = 0;
        for (float v : l) s += v;
        return new float[]{(float) (s / rows)};
    }

    @Test
    void softmaxCrossEntropyMatchesFiniteDifferencesAndHandValue() {
        Random rnd = new Random(7);
        int rows = 4, classes = 5;
        float[] logits = randn(rnd, rows * classes, 2), labels = {0, 3, 4, 3};
        Tensor dLogits = B.zeros(rows, classes), rowLoss = B.zeros(rows);
        B.softmaxCrossEntropy(t(logits, rows, classes), t(labels, rows), dLogits, rowLoss);
        // Hand value for row 1: log(sum exp) - logit[3].
        double s = 0;
        for (int j = 0; j < classes; j++) s += Math.exp(logits[classes + j]);
        assertEquals(Math.log(s) - logits[classes + 3], rowLoss.toArray()[1], 1e-5);
        // The mean loss is a single float32 number: use h = 1e-2 with a looser tolerance (rounding / h ~ 1e-5).
        assertGradient("softmax-CE dLogits", dLogits.toArray(),
                numeric(logits, new float[]{1}, l -> meanLoss(l, labels, rows, classes)), 1e-3);
        // dLogits may alias logits; huge logits stay finite.
        float[] big = logits.clone();
        big[0] = 1e4f;
        Tensor bt = t(big, rows, classes), loss = B.zeros(rows);
        B.softmaxCrossEntropy(bt, t(labels, rows), bt, loss);
        for (float v : bt.toArray()) assertTrue(Float.isFinite(v));
        assertEquals(0f, loss.toArray()[0], 1e-6f);
        assertThrows(IllegalArgumentException.class, () ->
                B.softmaxCrossEntropy(t(logits, rows, classes), t(new float[]{0, 5, 1, 1}, rows), B.zeros(rows, classes), B.zeros(rows)));
        assertThrows(IllegalArgumentException.class, () ->
                B.softmaxCrossEntropy(t(logits, rows, classes), t(new float[]{0, 1.5f, 1, 1}, rows), B.zeros(rows, classes), B.zeros(rows)));
    }

    private static float[] causalProbs(float[] scores, float scale, int bh, int tt) {
        Tensor p = B.zeros(bh, tt, tt);
        B.causalSoftmaxForward(t(scores, bh, tt, tt), scale, bh, tt, p);
        return p.toArray();
    }

    @Test
    void causalSoftmaxForwardAndBackward() {
        Random rnd = new Random(8);
        int bh = 2, tt = 4;
        float scale = 0.7f;
        float[] scores = randn(rnd, bh * tt * tt, 1), w = randn(rnd, bh * tt * tt, 1);
        float[] p = causalProbs(scores, scale, bh, tt);
        for (int q = 0; q < bh * tt; q++) {
            int i = q % tt;
            double s = 0;
            for (int j = 0; j < tt; j++) {
                if (j > i) assertEquals(0f, p[q * tt + j]);
                s += p[q * tt + j];
            }
            assertEquals(1, s, 1e-6);
        }
        assertEquals(1f, p[0], 0f); // first query sees only itself
        Tensor dScores = B.zeros(bh, tt, tt);
        B.causalSoftmaxBackward(t(w, bh, tt, tt), t(p, bh, tt, tt), scale, bh, tt, dScores);
        assertGradient("causal softmax dScores", dScores.toArray(), numeric(scores, w, s -> causalProbs(s, scale, bh, tt)));
        Tensor alias = t(w, bh, tt, tt);
        B.causalSoftmaxBackward(alias, t(p, bh, tt, tt), scale, bh, tt, alias);
        assertArrayEquals(dScores.toArray(), alias.toArray(), 0f);
    }

    private static float[] roped(float[] x, int batch, int tt, int heads, int hd, boolean inverse) {
        Tensor xt = t(x, batch, tt, heads, hd);
        B.rope(xt, batch, tt, heads, hd, 10000f, inverse);
        return xt.toArray();
    }

    @Test
    void ropeRotatesPairsAndInverseIsItsBackward() {
        Random rnd = new Random(9);
        int batch = 2, tt = 5, heads = 2, hd = 6;
        float[] x = randn(rnd, batch * tt * heads * hd, 1), w = randn(rnd, x.length, 1);
        float[] y = roped(x, batch, tt, heads, hd, false);
        // Hand value: batch 1, position 3, head 1, pair i = 2, angle 3 * 10000^(-4/6).
        int base = ((1 * tt + 3) * heads + 1) * hd;
        double ang = 3 * Math.pow(10000, -4.0 / 6), x0 = x[base + 4], x1 = x[base + 5];
        assertEquals(x0 * Math.cos(ang) - x1 * Math.sin(ang), y[base + 4], 1e-5);
        assertEquals(x0 * Math.sin(ang) + x1 * Math.cos(ang), y[base + 5], 1e-5);
        // Position 0 is the identity.
        for (int j = 0; j < heads * hd; j++) assertEquals(x[j], y[j], 0f);
        // inverse undoes forward.
        float[] back = roped(y, batch, tt, heads, hd, true);
        for (int i = 0; i < x.length; i++) assertEquals(x[i], back[i], 1e-5f);
        // Backward = inverse applied to dOut, checked against finite differences of the forward.
        float[] grad = roped(w, batch, tt, heads, hd, true);
        assertGradient("RoPE backward", grad, numeric(x, w, xx -> roped(xx, batch, tt, heads, hd, false)));
        assertThrows(IllegalArgumentException.class, () -> B.rope(B.zeros(1, 1, 1, 3), 1, 1, 1, 3, 10000f, false));
    }

    private static float[] embed(float[] table, float[] tokens, int vocab, int d) {
        Tensor out = B.zeros(tokens.length, d);
        B.embeddingForward(t(table, vocab, d), t(tokens, tokens.length), out);
        return out.toArray();
    }

    @Test
    void embeddingGatherAndScatterAdd() {
        Random rnd = new Random(10);
        int vocab = 5, d = 3;
        float[] table = randn(rnd, vocab * d, 1), tokens = {4, 1, 4, 0, 4};
        float[] out = embed(table, tokens, vocab, d);
        for (int r = 0; r < tokens.length; r++)
            for (int j = 0; j < d; j++) assertEquals(table[(int) tokens[r] * d + j], out[r * d + j], 0f);
        float[] w = randn(rnd, tokens.length * d, 1), prior = randn(rnd, vocab * d, 1);
        Tensor dTable = t(prior, vocab, d);
        B.embeddingBackward(t(w, tokens.length, d), t(tokens, tokens.length), dTable);
        assertGradient("embedding dTable", minus(dTable.toArray(), prior), numeric(table, w, tb -> embed(tb, tokens, vocab, d)));
        assertThrows(IllegalArgumentException.class, () -> embed(table, new float[]{5}, vocab, d));
        assertThrows(IllegalArgumentException.class, () -> embed(table, new float[]{-1}, vocab, d));
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RADIAL_TANH", "RADIAL_RELU", "RADIAL_SIGMOID"})
    void radialActivationsAreFiniteAtZero(Activation act) {
        for (float b : new float[]{0f, 0.5f, -0.5f}) {
            Tensor z = B.zeros(2, 4), out = B.fromArray(new float[8], 2, 4);
            B.biasActForward(z, null, act, b, null, out);
            for (float v : out.toArray()) assertEquals(0f, v);
            Tensor dPre = B.zeros(2, 4);
            float[] d = {1, -2, 3, 0.5f, 1, 1, 1, 1};
            B.biasActBackward(B.fromArray(d, 2, 4), z, act, b, dPre, null);
            double g0 = switch (act) {
                case RADIAL_TANH -> 1.0;
                case RADIAL_SIGMOID -> 0.5;
                default -> b == 0f ? 1.0 : 0.0;
            };
            float[] dp = dPre.toArray();
            for (int i = 0; i < 8; i++) assertEquals(g0 * d[i], dp[i], 1e-7, act + " b=" + b);
        }
        // Tiny but non-zero rows: still finite and continuous with the limit.
        Tensor z = B.fromArray(new float[]{1e-30f, 0, 0, 0}, 1, 4), out = B.zeros(1, 4), dPre = B.zeros(1, 4);
        B.biasActForward(z, null, act, 0f, null, out);
        B.biasActBackward(B.fromArray(new float[]{1, 1, 1, 1}, 1, 4), z, act, 0f, dPre, null);
        for (float v : out.toArray()) assertTrue(Float.isFinite(v));
        for (float v : dPre.toArray()) assertTrue(Float.isFinite(v));
    }

    private static float[] minus(float[] a, float[] b) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }
}
