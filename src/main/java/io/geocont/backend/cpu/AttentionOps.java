package io.geocont.backend.cpu;

import io.geocont.backend.OpContracts;
import io.geocont.backend.Tensor;
import io.geocont.linalg.Parallel;

import static io.geocont.backend.cpu.CpuOps.arr;
import static io.geocont.backend.cpu.CpuOps.columnGrain;
import static io.geocont.backend.cpu.CpuOps.index;
import static io.geocont.backend.cpu.CpuOps.rowGrain;

/**
 * The attention-side ops of {@link CpuBackend}, as their CUDA twins in
 * {@code kernels/attention.cu}: softmax cross-entropy, the causal softmax, RoPE and the embedding.
 */
final class AttentionOps {
    private final CpuOps.Splitter splitter;

    AttentionOps(CpuOps.Splitter splitter) { this.splitter = splitter; }

    private void forRange(int n, int grain, Parallel.RangeBody body) { splitter.forRange(n, grain, body); }

    void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor rowLoss) {
        String op = "softmaxCrossEntropy";
        float[] lv = arr(op, "logits", logits), yv = arr(op, "labels", labels), dv = arr(op, "dLogits", dLogits);
        float[] losv = arr(op, "rowLoss", rowLoss);
        int rows = logits.rows(), classes = logits.cols();
        OpContracts.softmaxCrossEntropy(op, logits, labels, dLogits, rowLoss);
        for (int r = 0; r < rows; r++) index(op, "label", yv[r], classes, r);
        float invRows = 1f / rows;
        forRange(rows, rowGrain(classes), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * classes, y = (int) yv[r];
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < classes; j++) max = Math.max(max, lv[base + j]);
                double s = 0;
                for (int j = 0; j < classes; j++) s += Math.exp(lv[base + j] - max);
                double lse = max + Math.log(s);
                losv[r] = (float) (lse - lv[base + y]);
                for (int j = 0; j < classes; j++) {
                    double p = Math.exp(lv[base + j] - lse);
                    dv[base + j] = (float) ((j == y ? p - 1.0 : p) * invRows);
                }
            }
        });
    }

    void causalSoftmaxForward(Tensor scores, float scale, int batchHeads, int t, Tensor probs) {
        String op = "causalSoftmaxForward(batchHeads=" + batchHeads + ", t=" + t + ")";
        float[] sv = arr(op, "scores", scores), pv = arr(op, "probs", probs);
        OpContracts.causalSoftmaxForward(op, scores, batchHeads, t, probs);
        forRange(batchHeads * t, rowGrain(t), (q0, q1) -> {
            double[] e = new double[t];   // each exp once (they were computed twice: half this op's time)
            for (int q = q0; q < q1; q++) {
                int i = q % t, base = q * t;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) max = Math.max(max, scale * sv[base + j]);
                double s = 0;
                for (int j = 0; j <= i; j++) s += e[j] = Math.exp(scale * sv[base + j] - max);
                double inv = 1.0 / s;
                for (int j = 0; j <= i; j++) pv[base + j] = (float) (e[j] * inv);
                for (int j = i + 1; j < t; j++) pv[base + j] = 0f;
            }
        });
    }

    void causalSoftmaxBackward(Tensor dProbs, Tensor probs, float scale, int batchHeads, int t, Tensor dScores) {
        String op = "causalSoftmaxBackward(batchHeads=" + batchHeads + ", t=" + t + ")";
        float[] dpv = arr(op, "dProbs", dProbs), pv = arr(op, "probs", probs), dsv = arr(op, "dScores", dScores);
        OpContracts.causalSoftmaxBackward(op, dProbs, probs, batchHeads, t, dScores);
        forRange(batchHeads * t, rowGrain(t), (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int i = q % t, base = q * t;
                double dotv = 0;
                for (int j = 0; j <= i; j++) dotv += (double) pv[base + j] * dpv[base + j];
                for (int j = 0; j <= i; j++) dsv[base + j] = (float) (scale * pv[base + j] * (dpv[base + j] - dotv));
                for (int j = i + 1; j < t; j++) dsv[base + j] = 0f;
            }
        });
    }

    void rope(Tensor x, int batch, int t, int heads, int headDim, float theta, boolean inverse) {
        String op = "rope(batch=" + batch + ", t=" + t + ", heads=" + heads + ", headDim=" + headDim + ")";
        float[] xv = arr(op, "x", x);
        OpContracts.rope(op, x, batch, t, heads, headDim);
        int half = headDim / 2;
        float[] cos = new float[t * half], sin = new float[t * half];
        for (int pos = 0; pos < t; pos++)
            for (int i = 0; i < half; i++) {
                double ang = pos * Math.pow(theta, -2.0 * i / headDim);
                cos[pos * half + i] = (float) Math.cos(ang);
                sin[pos * half + i] = (float) (inverse ? -Math.sin(ang) : Math.sin(ang));
            }
        forRange(batch * t, rowGrain(heads * headDim), (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int pos = q % t;
                for (int h = 0; h < heads; h++) {
                    int base = (q * heads + h) * headDim;
                    for (int i = 0; i < half; i++) {
                        float c = cos[pos * half + i], s = sin[pos * half + i];
                        float x0 = xv[base + 2 * i], x1 = xv[base + 2 * i + 1];
                        xv[base + 2 * i] = x0 * c - x1 * s;
                        xv[base + 2 * i + 1] = x0 * s + x1 * c;
                    }
                }
            }
        });
    }

    void embeddingForward(Tensor table, Tensor tokens, Tensor out) {
        String op = "embeddingForward";
        float[] tv = arr(op, "table", table), kv = arr(op, "tokens", tokens), ov = arr(op, "out", out);
        int vocab = table.rows(), d = table.cols(), rows = (int) tokens.size();
        OpContracts.embeddingForward(op, table, tokens, out);
        for (int r = 0; r < rows; r++) index(op, "token", kv[r], vocab, r);
        forRange(rows, rowGrain(d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) System.arraycopy(tv, (int) kv[r] * d, ov, r * d, d);
        });
    }

    void embeddingBackward(Tensor dOut, Tensor tokens, Tensor dTable) {
        String op = "embeddingBackward";
        float[] dov = arr(op, "dOut", dOut), kv = arr(op, "tokens", tokens), dtv = arr(op, "dTable", dTable);
        int vocab = dTable.rows(), d = dTable.cols(), rows = (int) tokens.size();
        OpContracts.embeddingBackward(op, dOut, tokens, dTable);
        for (int r = 0; r < rows; r++) index(op, "token", kv[r], vocab, r);
        // Split by column so repeated tokens are accumulated in row order by one thread.
        forRange(d, columnGrain(rows), (c0, c1) -> {
            for (int r = 0; r < rows; r++) {
                int src = r * d, dst = (int) kv[r] * d;
                for (int j = c0; j < c1; j++) dtv[dst + j] += dov[src + j];
            }
        });
    }
}
