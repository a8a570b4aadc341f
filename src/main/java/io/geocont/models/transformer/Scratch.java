package io.geocont.models.transformer;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

/**
 * Backward temporaries shared by every block (only one block runs at a time), allocated once
 * per model so a training step allocates nothing.
 */
final class Scratch {
    final Tensor dq, dk, dv, datt, dxn, dx1;   // [rows, d]
    final Tensor scores;                      // [batch*heads, T, T]: forward scores, backward dProbs/dScores
    final Tensor dg, du, da;                  // [rows, dFf]

    Scratch(Backend be, TransformerConfig c) {
        int n = c.rows(), d = c.dModel();
        dq = be.zeros(n, d); dk = be.zeros(n, d); dv = be.zeros(n, d); datt = be.zeros(n, d);
        dxn = be.zeros(n, d); dx1 = be.zeros(n, d);
        scores = be.zeros(c.batch() * c.heads(), c.seq(), c.seq());
        dg = be.zeros(n, c.dFf()); du = be.zeros(n, c.dFf()); da = be.zeros(n, c.dFf());
    }

    /** Frees the shared backward buffers. */
    void close() { for (Tensor t : new Tensor[]{dq, dk, dv, datt, dxn, dx1, scores, dg, du, da}) t.close(); }
}
