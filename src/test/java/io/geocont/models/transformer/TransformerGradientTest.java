package io.geocont.models.transformer;

import io.geocont.models.Param;
import io.geocont.models.NormKind;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;
import io.geocont.backend.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference checks of every hand-written backward, component by component, then the
 * whole block and the whole model.
 *
 * <p>Method: for each tensor X with analytic gradient G, draw a random unit direction D and
 * compare &lt;G, D&gt; with the central difference (L(X + hD) - L(X - hD)) / 2h. Tolerance
 * reasoning: the loss is computed in float32 with float64 reductions, so its rounding noise is
 * about 1e-7 relative; with h = 1e-2 that adds ~1e-5 to the difference quotient, and the
 * truncation error is O(h^2 L''') ~ 1e-4. A relative error of 2e-3 (with an absolute floor of
 * 2e-4 for near-zero derivatives) is therefore several times the expected error, while a wrong
 * sign, a missing term or a transposed GEMM gives errors of order 1.
 */
class TransformerGradientTest {
    private static final Backend BE = new CpuBackend(2);
    private static final double H = 1e-2, REL_TOL = 2e-3, ABS_TOL = 2e-4;

    @AfterAll static void close() { BE.close(); }

    /** Tiny shape; a large init std makes every path matter (gradients of order 1). */
    private static TransformerConfig tiny(boolean residual, Activation act, NormKind norm) {
        return new TransformerConfig(11, 8, 2, 2, 12, 5, 2, residual, act, norm, 0.3, 10000, 1e-5);
    }

    private static Tensor random(SplittableRandom rng, double std, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (std * rng.nextGaussian());
        return BE.fromArray(x, shape);
    }

    private static Param param(SplittableRandom rng, String name, int rows, int cols) {
        return new Param(name, random(rng, 0.4, rows, cols), BE.zeros(rows, cols), true);
    }

    private static Param gainParam(SplittableRandom rng, String name, int d) {
        float[] g = new float[d];
        for (int i = 0; i < d; i++) g[i] = (float) (1 + 0.3 * rng.nextGaussian());
        return new Param(name, BE.fromArray(g, d), BE.zeros(d), false);
    }

    /** Checks every (value, grad) pair with a random direction; loss recomputes the forward. */
    private static void check(String what, List<Tensor> values, List<Tensor> grads, DoubleSupplier loss, long seed) {
        check(what, values, grads, loss, seed, true);
    }

    /**
     * requireSignal: also demand |derivative| > 5 ABS_TOL so the comparison is meaningful. The
     * whole-model check turns it off because some directions (e.g. Q of a LayerNorm model at a
     * random point) have tiny derivatives there; the components are checked with it on.
     */
    private static void check(String what, List<Tensor> values, List<Tensor> grads, DoubleSupplier loss, long seed,
                              boolean requireSignal) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int t = 0; t < values.size(); t++) {
            Tensor x = values.get(t);
            float[] x0 = x.toArray(), g = grads.get(t).toArray();
            double[] dir = new double[x0.length];
            double norm = 0;
            for (int i = 0; i < dir.length; i++) { dir[i] = rng.nextGaussian(); norm += dir[i] * dir[i]; }
            norm = Math.sqrt(norm);
            double analytic = 0;
            for (int i = 0; i < dir.length; i++) { dir[i] /= norm; analytic += g[i] * dir[i]; }
            float[] xp = new float[x0.length], xm = new float[x0.length];
            for (int i = 0; i < x0.length; i++) { xp[i] = (float) (x0[i] + H * dir[i]); xm[i] = (float) (x0[i] - H * dir[i]); }
            x.copyFrom(xp);
            double lp = loss.getAsDouble();
            x.copyFrom(xm);
            double lm = loss.getAsDouble();
            x.copyFrom(x0);
            double numeric = (lp - lm) / (2 * H);
            double err = Math.abs(analytic - numeric);
            assertTrue(err <= Math.max(ABS_TOL, REL_TOL * Math.max(Math.abs(analytic), Math.abs(numeric))),
                    what + " tensor " + t + ": analytic " + analytic + " vs numeric " + numeric);
            assertTrue(!requireSignal || Math.abs(analytic) > 5 * ABS_TOL, what + " tensor " + t + ": derivative " + analytic
                    + " too small for a meaningful check");
        }
    }

    private static double dotLoss(Tensor out, Tensor r) { return BE.dot(out, r); }

    @Test void rmsNormAndLayerNorm() {
        for (NormKind kind : List.of(NormKind.RMS, NormKind.LAYER)) {
            SplittableRandom rng = new SplittableRandom(1);
            Param g = gainParam(rng, "g", 8);
            Norm norm = new Norm(BE, kind, 1e-5f, g, 6);
            Tensor x = random(rng, 1.0, 6, 8), out = BE.zeros(6, 8), r = random(rng, 1.0, 6, 8), dx = BE.zeros(6, 8);
            norm.forward(x, out);
            BE.fill(g.grad(), 0f);
            norm.backward(r, dx);
            check(kind + " norm", List.of(x, g.value()), List.of(dx, g.grad()), () -> {
                norm.forward(x, out);
                return dotLoss(out, r);
            }, 2);
        }
    }

    @Test void attentionWithRope() {
        TransformerConfig c = tiny(true, Activation.SILU, NormKind.RMS);
        SplittableRandom rng = new SplittableRandom(3);
        Scratch s = new Scratch(BE, c);
        int d = c.dModel(), n = c.rows();
        Attention a = new Attention(BE, c, param(rng, "q", d, d), param(rng, "k", d, d), param(rng, "v", d, d),
                param(rng, "o", d, d), s);
        Tensor x = random(rng, 1.0, n, d), out = BE.zeros(n, d), r = random(rng, 1.0, n, d), dx = BE.zeros(n, d);
        a.forward(x, out);
        a.backward(r, dx);
        check("attention", List.of(x, a.wq.value(), a.wk.value(), a.wv.value(), a.wo.value()),
                List.of(dx, a.wq.grad(), a.wk.grad(), a.wv.grad(), a.wo.grad()), () -> {
                    a.forward(x, out);
                    return dotLoss(out, r);
                }, 4);
    }

    @Test void attentionIsCausal() {
        // Changing the last position of every sequence must not change any earlier output.
        TransformerConfig c = tiny(true, Activation.SILU, NormKind.RMS);
        SplittableRandom rng = new SplittableRandom(5);
        int d = c.dModel(), n = c.rows(), t = c.seq();
        Attention a = new Attention(BE, c, param(rng, "q", d, d), param(rng, "k", d, d), param(rng, "v", d, d),
                param(rng, "o", d, d), new Scratch(BE, c));
        Tensor x = random(rng, 1.0, n, d), out = BE.zeros(n, d);
        a.forward(x, out);
        float[] before = out.toArray(), xs = x.toArray();
        for (int b = 0; b < c.batch(); b++) for (int j = 0; j < d; j++) xs[(b * t + t - 1) * d + j] += 1f;
        x.copyFrom(xs);
        a.forward(x, out);
        float[] after = out.toArray();
        for (int b = 0; b < c.batch(); b++)
            for (int i = 0; i < (t - 1) * d; i++)
                assertTrue(before[b * t * d + i] == after[b * t * d + i], "position leak at sequence " + b + " element " + i);
        boolean lastChanged = false;
        for (int j = 0; j < d; j++) lastChanged |= before[(t - 1) * d + j] != after[(t - 1) * d + j];
        assertTrue(lastChanged, "the last position's output should depend on its own input");
    }

    @Test void gatedMlpForEveryActivation() {
        for (Activation act : List.of(Activation.SILU, Activation.GELU, Activation.IDENTITY, Activation.RADIAL_TANH)) {
            TransformerConfig c = new TransformerConfig(11, 8, 2, 2, 12, 5, 2, true, act, NormKind.RMS, 0.3, 10000, 1e-5);
            SplittableRandom rng = new SplittableRandom(6);
            int d = c.dModel(), n = c.rows(), ff = c.dFf();
            GatedMlp m = new GatedMlp(BE, c, param(rng, "gate", ff, d), param(rng, "up", ff, d), param(rng, "down", d, ff),
                    new Scratch(BE, c));
            Tensor x = random(rng, 1.0, n, d), out = BE.zeros(n, d), r = random(rng, 1.0, n, d), dx = BE.zeros(n, d);
            m.forward(x, out);
            m.backward(r, dx);
            check("gated mlp " + act, List.of(x, m.wg.value(), m.wu.value(), m.wd.value()),
                    List.of(dx, m.wg.grad(), m.wu.grad(), m.wd.grad()), () -> {
                        m.forward(x, out);
                        return dotLoss(out, r);
                    }, 7);
        }
    }

    @Test void wholeBlockWithAndWithoutResidual() {
        for (boolean residual : new boolean[] {true, false}) {
            TransformerConfig c = tiny(residual, Activation.SILU, NormKind.RMS);
            SplittableRandom rng = new SplittableRandom(8);
            int d = c.dModel(), n = c.rows(), ff = c.dFf();
            Scratch s = new Scratch(BE, c);
            Block b = new Block(BE, c, new Norm(BE, c.norm(), 1e-5f, gainParam(rng, "n1", d), n),
                    new Attention(BE, c, param(rng, "q", d, d), param(rng, "k", d, d), param(rng, "v", d, d), param(rng, "o", d, d), s),
                    new Norm(BE, c.norm(), 1e-5f, gainParam(rng, "n2", d), n),
                    new GatedMlp(BE, c, param(rng, "gate", ff, d), param(rng, "up", ff, d), param(rng, "down", d, ff), s), s);
            Tensor x = random(rng, 1.0, n, d), out = BE.zeros(n, d), r = random(rng, 1.0, n, d), dx = BE.zeros(n, d);
            b.forward(x, out);
            BE.fill(b.norm1.gamma().grad(), 0f);
            BE.fill(b.norm2.gamma().grad(), 0f);
            b.backward(r, dx);
            List<Tensor> values = new ArrayList<>(List.of(x, b.norm1.gamma().value(), b.norm2.gamma().value()));
            List<Tensor> grads = new ArrayList<>(List.of(dx, b.norm1.gamma().grad(), b.norm2.gamma().grad()));
            for (Param p : List.of(b.attn.wq, b.attn.wk, b.attn.wv, b.attn.wo, b.mlp.wg, b.mlp.wu, b.mlp.wd)) {
                values.add(p.value());
                grads.add(p.grad());
            }
            check("block residual=" + residual, values, grads, () -> {
                b.forward(x, out);
                return dotLoss(out, r);
            }, 9);
        }
    }

    @Test void wholeModelEveryParameter() {
        for (TransformerConfig c : List.of(tiny(true, Activation.SILU, NormKind.RMS), tiny(true, Activation.GELU, NormKind.LAYER))) {
            TransformerModel m = new TransformerModel(BE, c, 11);
            SplittableRandom rng = new SplittableRandom(12);
            float[] tok = new float[c.rows()], tgt = new float[c.rows()];
            for (int i = 0; i < tok.length; i++) { tok[i] = rng.nextInt(c.vocab()); tgt[i] = rng.nextInt(c.vocab()); }
            Tensor tokens = BE.fromArray(tok, tok.length), targets = BE.fromArray(tgt, tgt.length);
            m.forward(tokens, targets);
            m.backward();
            List<Tensor> values = new ArrayList<>(), grads = new ArrayList<>();
            for (Param p : m.params()) { values.add(p.value()); grads.add(p.grad()); }
            check("model " + c.norm() + " " + c.mlpActivation(), values, grads, () -> m.forward(tokens, targets), 13, false);
        }
    }
}
