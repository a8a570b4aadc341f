package io.geocont.backend;

import static io.geocont.backend.ShapeChecks.requireSameShape;
import static io.geocont.backend.ShapeChecks.requireSize;

/**
 * The shape contract of each {@link Backend} op, stated once for every backend: one method per
 * op, named after it, that checks how its tensors' shapes must relate and throws
 * IllegalArgumentException with the op's label ({@code op}) and the shapes otherwise. A backend
 * calls it after it has made sure each tensor is one of its own and open, and before it touches
 * memory; what only a backend can check (aliasing of its buffers, label and token values) stays
 * with it. GEMM shapes are {@link ShapeChecks#checkGemm}.
 */
public final class OpContracts {
    private OpContracts() { }

    public static void copy(String op, Tensor src, Tensor dst) {
        requireSize(op, "dst", dst, src.size(), "same size as src", src);
    }

    public static void biasActForward(String op, Tensor z, Tensor bias, Tensor residual, Tensor out) {
        if (bias != null) requireSize(op, "bias", bias, z.cols(), "z's columns, z", z);
        if (residual != null) requireSameShape(op, "z", z, "residual", residual);
        requireSameShape(op, "z", z, "out", out);
    }

    public static void biasActBackward(String op, Tensor dOut, Tensor pre, Tensor dPre, Tensor dBias) {
        requireSameShape(op, "pre", pre, "dOut", dOut);
        requireSameShape(op, "pre", pre, "dPre", dPre);
        if (dBias != null) requireSize(op, "dBias", dBias, pre.cols(), "pre's columns, pre", pre);
    }

    public static void gatedActForward(String op, Tensor gate, Tensor up, Tensor out) {
        requireSameShape(op, "gate", gate, "up", up);
        requireSameShape(op, "gate", gate, "out", out);
    }

    public static void gatedActBackward(String op, Tensor dOut, Tensor gate, Tensor up, Tensor dGate, Tensor dUp) {
        for (Tensor t : new Tensor[]{up, dOut, dGate, dUp}) requireSameShape(op, "gate", gate, "a gradient or up", t);
    }

    public static void layerNormForward(String op, Tensor x, Tensor gamma, Tensor beta, Tensor out, Tensor mean, Tensor rstd) {
        int rows = x.rows(), cols = x.cols();
        requireSameShape(op, "x", x, "out", out);
        if (gamma != null) requireSize(op, "gamma", gamma, cols, "x's columns, x", x);
        if (beta != null) requireSize(op, "beta", beta, cols, "x's columns, x", x);
        requireSize(op, "mean", mean, rows, "x's rows, x", x);
        requireSize(op, "rstd", rstd, rows, "x's rows, x", x);
    }

    public static void layerNormBackward(String op, Tensor dOut, Tensor x, Tensor gamma, Tensor mean, Tensor rstd,
                                         Tensor dx, Tensor dGamma, Tensor dBeta) {
        int rows = x.rows(), cols = x.cols();
        requireSameShape(op, "x", x, "dOut", dOut);
        requireSameShape(op, "x", x, "dx", dx);
        if (gamma != null) requireSize(op, "gamma", gamma, cols, "x's columns");
        if (dGamma != null) requireSize(op, "dGamma", dGamma, cols, "x's columns");
        if (dBeta != null) requireSize(op, "dBeta", dBeta, cols, "x's columns");
        requireSize(op, "mean", mean, rows, "x's rows");
        requireSize(op, "rstd", rstd, rows, "x's rows");
    }

    public static void rmsNormForward(String op, Tensor x, Tensor gamma, Tensor out, Tensor rstd) {
        requireSameShape(op, "x", x, "out", out);
        if (gamma != null) requireSize(op, "gamma", gamma, x.cols(), "x's columns, x", x);
        requireSize(op, "rstd", rstd, x.rows(), "x's rows, x", x);
    }

    public static void rmsNormBackward(String op, Tensor dOut, Tensor x, Tensor gamma, Tensor rstd, Tensor dx, Tensor dGamma) {
        int rows = x.rows(), cols = x.cols();
        requireSameShape(op, "x", x, "dOut", dOut);
        requireSameShape(op, "x", x, "dx", dx);
        if (gamma != null) requireSize(op, "gamma", gamma, cols, "x's columns");
        if (dGamma != null) requireSize(op, "dGamma", dGamma, cols, "x's columns");
        requireSize(op, "rstd", rstd, rows, "x's rows");
    }

    public static void softmaxCrossEntropy(String op, Tensor logits, Tensor labels, Tensor dLogits, Tensor rowLoss) {
        int rows = logits.rows();
        requireSize(op, "labels", labels, rows, "one per row of logits", logits);
        requireSize(op, "rowLoss", rowLoss, rows, "one per row of logits", logits);
        requireSameShape(op, "logits", logits, "dLogits", dLogits);
    }

    public static void causalSoftmaxForward(String op, Tensor scores, int batchHeads, int t, Tensor probs) {
        long need = (long) batchHeads * t * t;
        requireSize(op, "scores", scores, need, "batchHeads * t * t");
        requireSize(op, "probs", probs, need, "batchHeads * t * t");
    }

    public static void causalSoftmaxBackward(String op, Tensor dProbs, Tensor probs, int batchHeads, int t, Tensor dScores) {
        long need = (long) batchHeads * t * t;
        requireSize(op, "dProbs", dProbs, need, "batchHeads * t * t");
        requireSize(op, "probs", probs, need, "batchHeads * t * t");
        requireSize(op, "dScores", dScores, need, "batchHeads * t * t");
    }

    public static void rope(String op, Tensor x, int batch, int t, int heads, int headDim) {
        if (headDim % 2 != 0) throw new IllegalArgumentException(op + ": headDim must be even");
        requireSize(op, "x", x, (long) batch * t * heads * headDim, "batch * t * heads * headDim");
    }

    public static void embeddingForward(String op, Tensor table, Tensor tokens, Tensor out) {
        requireSize(op, "out", out, tokens.size() * table.cols(), "tokens * table columns, table", table);
    }

    public static void embeddingBackward(String op, Tensor dOut, Tensor tokens, Tensor dTable) {
        requireSize(op, "dOut", dOut, tokens.size() * dTable.cols(), "tokens * dTable columns, dTable", dTable);
    }

    public static void axpy(String op, Tensor x, Tensor y) {
        requireSize(op, "y", y, x.size(), "same size as x", x);
    }

    public static void add(String op, Tensor a, Tensor b, Tensor out) {
        requireSize(op, "b", b, a.size(), "same size as a", a);
        requireSize(op, "out", out, a.size(), "same size as a", a);
    }

    public static void columnSum(String op, Tensor x, Tensor out) {
        requireSize(op, "out", out, x.cols(), "x's columns, x", x);
    }

    public static void dot(String op, Tensor a, Tensor b) {
        requireSize(op, "b", b, a.size(), "same size as a", a);
    }

    public static void sgdMomentumUpdate(String op, Tensor param, Tensor grad, Tensor velocity) {
        requireSize(op, "grad", grad, param.size(), "same size as param", param);
        requireSize(op, "velocity", velocity, param.size(), "same size as param", param);
    }

    public static void adamwUpdate(String op, Tensor param, Tensor grad, Tensor m, Tensor v, int step) {
        requireSize(op, "grad", grad, param.size(), "same size as param", param);
        requireSize(op, "m", m, param.size(), "same size as param", param);
        requireSize(op, "v", v, param.size(), "same size as param", param);
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
    }

    public static void adjacentAbsCos(String op, Tensor vecs, Tensor out) {
        requireSize(op, "out", out, Math.max(0, vecs.rows() - 1), "L - 1 for vecs", vecs);
    }

    public static void adjacentDotsAndNorms(String op, Tensor stack, Tensor out) {
        requireSize(op, "out", out, Math.max(0, 2L * stack.rows() - 1), "2L - 1 for stack", stack);
    }
}
