// Softmax cross-entropy, causal softmax, RoPE and embeddings, mirroring the CPU backend's
// AttentionOps (backend/cpu/AttentionOps.java).
#include "common.cuh"

// One block per row. A label that is not an integer in [0, classes) sets err (code 1) and
// leaves the row untouched.
extern "C" __global__ void softmax_ce(const float* logits, const float* labels, float* dLogits, float* rowLoss,
                                      int classes, float invRows, int* err) {
    int r = blockIdx.x, y;
    if (!check_index(labels[r], classes, r, 1, err, &y)) return;
    long long base = (long long) r * classes;
    float m = -INFINITY;
    for (int j = threadIdx.x; j < classes; j += BLOCK) m = fmaxf(m, logits[base + j]);
    m = block_max(m);
    double s = 0;
    for (int j = threadIdx.x; j < classes; j += BLOCK) s += exp((double) (logits[base + j] - m));
    double lse = m + log(block_sum(s));
    if (threadIdx.x == 0) rowLoss[r] = (float) (lse - logits[base + y]);
    __syncthreads(); // dLogits may alias logits: the loss read above comes first
    for (int j = threadIdx.x; j < classes; j += BLOCK) {
        double p = exp(logits[base + j] - lse);
        dLogits[base + j] = (float) ((j == y ? p - 1.0 : p) * invRows);
    }
}

// One block per query row q = (head, i) of scores [batchHeads, t, t].
extern "C" __global__ void causal_softmax_fwd(const float* scores, float scale, int t, float* probs) {
    long long q = blockIdx.x, base = q * t;
    int i = (int) (q % t);
    float m = -INFINITY;
    for (int j = threadIdx.x; j <= i; j += BLOCK) m = fmaxf(m, scale * scores[base + j]);
    m = block_max(m);
    double s = 0;
    for (int j = threadIdx.x; j <= i; j += BLOCK) s += exp((double) (scale * scores[base + j] - m));
    double inv = 1.0 / block_sum(s);
    for (int j = threadIdx.x; j < t; j += BLOCK)
        probs[base + j] = j <= i ? (float) (exp((double) (scale * scores[base + j] - m)) * inv) : 0.f;
}

extern "C" __global__ void causal_softmax_bwd(const float* dProbs, const float* probs, float scale, int t, float* dScores) {
    long long q = blockIdx.x, base = q * t;
    int i = (int) (q % t);
    double d = 0;
    for (int j = threadIdx.x; j <= i; j += BLOCK) d += (double) probs[base + j] * dProbs[base + j];
    d = block_sum(d);
    for (int j = threadIdx.x; j < t; j += BLOCK)
        dScores[base + j] = j <= i ? (float) ((double) (scale * probs[base + j]) * (dProbs[base + j] - d)) : 0.f;
}

// One thread per rotated pair: x [batch, t, heads, headDim], pair i of each head.
extern "C" __global__ void rope(float* x, int t, int heads, int headDim, float theta, int inverse, long long pairs) {
    int half = headDim / 2;
    GRID_STRIDE(p, pairs) {
        int i = (int) (p % half);
        long long qh = p / half;                 // (batch * t + pos) * heads + head
        int pos = (int) ((qh / heads) % t);
        double ang = pos * pow((double) theta, -2.0 * i / headDim);
        float c = (float) cos(ang), s = (float) (inverse ? -sin(ang) : sin(ang));
        long long base = qh * headDim + 2 * i;
        float x0 = x[base], x1 = x[base + 1];
        x[base] = __fsub_rn(__fmul_rn(x0, c), __fmul_rn(x1, s));
        x[base + 1] = __fadd_rn(__fmul_rn(x0, s), __fmul_rn(x1, c));
    }
}

// out[r, :] = table[tokens[r], :]; a bad token sets err (code 2) and leaves its row untouched.
extern "C" __global__ void embedding_fwd(const float* table, const float* tokens, float* out, int rows, int vocab, int d, int* err) {
    GRID_STRIDE(i, (long long) rows * d) {
        int r = (int) (i / d), tok;
        if (check_index(tokens[r], vocab, r, 2, err, &tok)) out[i] = table[(long long) tok * d + i % d];
    }
}

// One thread per column, rows in order: deterministic and the same summation order as the CPU.
extern "C" __global__ void embedding_bwd(const float* dOut, const float* tokens, float* dTable, int rows, int vocab, int d, int* err) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= d) return;
    for (int r = 0; r < rows; r++) {
        int tok;
        if (check_index(tokens[r], vocab, r, 3, err, &tok)) dTable[(long long) tok * d + j] += dOut[(long long) r * d + j];
    }
}
