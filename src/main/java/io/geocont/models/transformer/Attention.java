package io.geocont.models.transformer;

import io.geocont.models.Param;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

/**
 * Causal multi-head self-attention with RoPE on Q and K, no biases. Activations are
 * [batch, T, heads, headDim] row-major (= [rows, d]); the per-head products are strided batched
 * GEMMs over the heads of one sequence (heads sit headDim apart, rows d apart).
 */
public final class Attention {
    private final Backend be;
    private final TransformerConfig c;
    final Param wq, wk, wv, wo;
    final Tensor q, k, v, probs, att;   // forward caches (q, k after RoPE)
    private final Scratch s;
    private final float scale;
    private Tensor input;

    Attention(Backend be, TransformerConfig c, Param wq, Param wk, Param wv, Param wo, Scratch s) {
        this.be = be; this.c = c; this.wq = wq; this.wk = wk; this.wv = wv; this.wo = wo; this.s = s;
        int n = c.rows(), d = c.dModel();
        q = be.zeros(n, d); k = be.zeros(n, d); v = be.zeros(n, d); att = be.zeros(n, d);
        probs = be.zeros(c.batch() * c.heads(), c.seq(), c.seq());
        scale = (float) (1.0 / Math.sqrt(c.headDim()));
    }

    /** The input of Q/K/V (the normalized residual stream) of the last forward. */
    public Tensor input() { return input; }

    /** The input of O (the concatenated head outputs) of the last forward. */
    public Tensor headOutputs() { return att; }

    /** out[rows, d] = attention(xn); xn must stay unchanged until {@link #backward}. */
    public void forward(Tensor xn, Tensor out) {
        input = xn;
        int t = c.seq(), d = c.dModel(), h = c.heads(), hd = c.headDim();
        Linear.forward(be, xn, wq, q);
        Linear.forward(be, xn, wk, k);
        Linear.forward(be, xn, wv, v);
        be.rope(q, c.batch(), t, h, hd, (float) c.ropeTheta(), false);
        be.rope(k, c.batch(), t, h, hd, (float) c.ropeTheta(), false);
        long tt = (long) t * t;
        // One strided-batched call per head, batched over the sequences: head hh of sequence b
        // sits at column hh*hd of rows b*t.., so sequences are a uniform stride t*d apart (and
        // their score blocks h*t*t apart). Heads count 4-16, sequences 32-128: far fewer launches.
        long sx = (long) t * d, sp = (long) h * tt;
        int nb = c.batch();
        for (int hh = 0; hh < h; hh++) {
            long x0 = (long) hh * hd, p0 = (long) hh * tt;
            // scores_h = Q_h K_h^T  (T x T per head)
            be.gemmStridedBatched(false, true, t, t, hd, 1f, q, x0, d, sx, k, x0, d, sx,
                    0f, s.scores, p0, t, sp, nb);
        }
        be.causalSoftmaxForward(s.scores, scale, c.batch() * h, t, probs);
        for (int hh = 0; hh < h; hh++) {
            long x0 = (long) hh * hd, p0 = (long) hh * tt;
            // att_h = P_h V_h  (T x hd per head, written into the head's columns)
            be.gemmStridedBatched(false, false, t, hd, t, 1f, probs, p0, t, sp, v, x0, d, sx,
                    0f, att, x0, d, sx, nb);
        }
        Linear.forward(be, att, wo, out);
    }

    /** Writes dxn from dOut and the weight gradients of Q, K, V, O. */
    public void backward(Tensor dOut, Tensor dxn) {
        int t = c.seq(), d = c.dModel(), h = c.heads(), hd = c.headDim();
        long tt = (long) t * t, sx = (long) t * d, sp = (long) h * tt;
        int nb = c.batch();
        Linear.weightGrad(be, dOut, att, wo);
        Linear.inputGrad(be, dOut, wo, 0f, s.datt);
        for (int hh = 0; hh < h; hh++) { // per head, batched over sequences (see forward)
            long x0 = (long) hh * hd, p0 = (long) hh * tt;
            // dP_h = dAtt_h V_h^T ; dV_h = P_h^T dAtt_h
            be.gemmStridedBatched(false, true, t, t, hd, 1f, s.datt, x0, d, sx, v, x0, d, sx,
                    0f, s.scores, p0, t, sp, nb);
            be.gemmStridedBatched(true, false, t, hd, t, 1f, probs, p0, t, sp, s.datt, x0, d, sx,
                    0f, s.dv, x0, d, sx, nb);
        }
        be.causalSoftmaxBackward(s.scores, probs, scale, c.batch() * h, t, s.scores);
        for (int hh = 0; hh < h; hh++) {
            long x0 = (long) hh * hd, p0 = (long) hh * tt;
            // dQ_h = dS_h K_h ; dK_h = dS_h^T Q_h  (gradients w.r.t. the rotated q, k)
            be.gemmStridedBatched(false, false, t, hd, t, 1f, s.scores, p0, t, sp, k, x0, d, sx,
                    0f, s.dq, x0, d, sx, nb);
            be.gemmStridedBatched(true, false, t, hd, t, 1f, s.scores, p0, t, sp, q, x0, d, sx,
                    0f, s.dk, x0, d, sx, nb);
        }
        // RoPE is an orthogonal rotation per position: its backward is the inverse rotation.
        be.rope(s.dq, c.batch(), t, h, hd, (float) c.ropeTheta(), true);
        be.rope(s.dk, c.batch(), t, h, hd, (float) c.ropeTheta(), true);
        Linear.weightGrad(be, s.dq, input, wq);
        Linear.weightGrad(be, s.dk, input, wk);
        Linear.weightGrad(be, s.dv, input, wv);
        Linear.inputGrad(be, s.dq, wq, 0f, dxn);
        Linear.inputGrad(be, s.dk, wk, 1f, dxn);
        Linear.inputGrad(be, s.dv, wv, 1f, dxn);
    }

    /** Frees this module's forward caches (the weights are the model's parameters). */
    void close() { for (Tensor t : new Tensor[]{q, k, v, probs, att}) t.close(); }
}
