// Element-wise ops, column sums, float64 reductions, optimizer updates and the continuity
// reductions, mirroring the CPU backend's ElementwiseOps (backend/cpu/ElementwiseOps.java).
#include "common.cuh"

extern "C" __global__ void fill(float* x, float v, long long n) { GRID_STRIDE(i, n) x[i] = v; }

extern "C" __global__ void axpy(float alpha, const float* x, float* y, long long n) { GRID_STRIDE(i, n) y[i] = fmaf(alpha, x[i], y[i]); }

extern "C" __global__ void scale(float* x, float alpha, long long n) { GRID_STRIDE(i, n) x[i] *= alpha; }

extern "C" __global__ void add(const float* a, const float* b, float* out, long long n) { GRID_STRIDE(i, n) out[i] = a[i] + b[i]; }

// out[j] (+)= sum over rows in order, in double; one thread per column.
extern "C" __global__ void column_sum(const float* x, float* out, int rows, int cols, int accumulate) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= cols) return;
    double acc = 0;
    for (int r = 0; r < rows; r++) acc += x[(long long) r * cols + j];
    out[j] = (float) (accumulate ? out[j] + acc : acc);
}

// Stage 1 of sum (mode 0), sum of squares (1), dot (2): one double partial per block.
extern "C" __global__ void reduce_partial(const float* a, const float* b, long long n, int mode, double* partials) {
    double s = 0;
    GRID_STRIDE(i, n) {
        double x = a[i];
        s += mode == 0 ? x : mode == 1 ? x * x : x * b[i];
    }
    s = block_sum(s);
    if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

// Stage 2: one block sums the partials (fixed order, so the result is deterministic).
extern "C" __global__ void reduce_final(const double* partials, int count, double* out) {
    double s = 0;
    for (int i = threadIdx.x; i < count; i += BLOCK) s += partials[i];
    s = block_sum(s);
    if (threadIdx.x == 0) out[0] = s;
}

extern "C" __global__ void sgd_momentum(float* p, const float* g, float* v, long long n, float lr, float momentum,
                                        float wd, float gradScale) {
    GRID_STRIDE(i, n) {
        float gi = gradScale * g[i] + wd * p[i];
        float vi = momentum * v[i] + gi;
        v[i] = vi;
        p[i] -= lr * vi;
    }
}

// bc1 = 1 - beta1^step and bc2 = 1 - beta2^step come from the host, rounded to float as on the CPU.
extern "C" __global__ void adamw(float* p, const float* g, float* m, float* v, long long n, float lr, float beta1, float beta2,
                                 float eps, float wd, float bc1, float bc2, float gradScale) {
    GRID_STRIDE(i, n) {
        float gi = gradScale * g[i];
        float mi = beta1 * m[i] + (1.f - beta1) * gi;
        float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        float mhat = mi / bc1, vhat = vi / bc2;
        p[i] -= lr * (mhat / (sqrtf(vhat) + eps) + wd * p[i]);
    }
}

// out[l] = |<vecs[l], vecs[l+1]>| for every adjacent pair in one launch: one block per pair.
extern "C" __global__ void adjacent_abs_cos(const float* vecs, float* out, int d) {
    long long a = (long long) blockIdx.x * d, b = a + d;
    double s = 0;
    for (int j = threadIdx.x; j < d; j += BLOCK) s += (double) vecs[a + j] * vecs[b + j];
    s = block_sum(s);
    if (threadIdx.x == 0) out[blockIdx.x] = (float) fabs(s);
}

// One pass over a stack [L, n]: block (c, l) reads chunk c of g_l and g_{l+1} once and adds
// ||g_l||^2 to acc[l] and <g_l, g_{l+1}> to acc[L + l] (double atomics; acc zeroed by the host).
extern "C" __global__ void adjacent_dots_norms(const float* stack, double* acc, int L, long long n, long long chunk) {
    int l = blockIdx.y;
    long long from = blockIdx.x * chunk, to = min(n, from + chunk);
    const float* g = stack + (long long) l * n;
    const float* h = l + 1 < L ? g + n : nullptr;
    double sq = 0, dt = 0;
    for (long long i = from + threadIdx.x; i < to; i += BLOCK) {
        double x = g[i];
        sq += x * x;
        if (h) dt += x * h[i];
    }
    sq = block_sum(sq);
    dt = block_sum(dt);
    if (threadIdx.x == 0) {
        atomicAdd(&acc[l], sq);
        if (h) atomicAdd(&acc[L + l], dt);
    }
}

extern "C" __global__ void doubles_to_floats(const double* in, float* out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = (float) in[i];
}
