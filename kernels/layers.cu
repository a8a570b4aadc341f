// Fused layer kernels, mirroring the CPU backend's LayerOps op by op: bias + activation (+ residual) forward and
// backward, gated activation (SwiGLU), LayerNorm and RMSNorm forward/backward.
// Element-wise forms use a grid-stride loop; row-wise forms (radial activations, norms) use one
// block of BLOCK threads per row with float64 block reductions.
#include "common.cuh"

extern "C" __global__ void bias_act_fwd_elem(float* z, const float* bias, const float* residual, float* out,
                                             long long n, int cols, int act) {
    GRID_STRIDE(i, n) {
        float zi = z[i];
        if (bias) { zi += bias[i % cols]; z[i] = zi; }
        out[i] = (float) act_value(act, zi) + (residual ? residual[i] : 0.f);
    }
}

extern "C" __global__ void bias_act_fwd_row(float* z, const float* bias, const float* residual, float* out,
                                            int cols, int act, float param) {
    long long base = (long long) blockIdx.x * cols;
    double s = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK) {
        float zi = z[base + j];
        if (bias) { zi += bias[j]; z[base + j] = zi; }
        s += (double) zi * zi;
    }
    double g = radial_gain(act, sqrt(block_sum(s)), param);
    for (int j = threadIdx.x; j < cols; j += BLOCK)
        out[base + j] = (float) (g * z[base + j]) + (residual ? residual[base + j] : 0.f);
}

extern "C" __global__ void bias_act_bwd_elem(const float* dOut, const float* pre, float* dPre, long long n, int act) {
    GRID_STRIDE(i, n) dPre[i] = (float) (dOut[i] * act_derivative(act, pre[i]));
}

// dst = J(h)^T (d * scale) per row for a radial activation at h = src (scale may be null).
// When dUp is given (gated form) it also writes dUp = g h d. dst/dUp may alias d.
__device__ void radial_jvp_row(int act, float param, const float* src, const float* d, const float* scale,
                               float* dst, float* dUp, int cols) {
    double r2 = 0, hd = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK) {
        double h = src[j], dj = scale ? (double) d[j] * scale[j] : (double) d[j];
        r2 += h * h;
        hd += h * dj;
    }
    r2 = block_sum(r2);
    hd = block_sum(hd);
    double r = sqrt(r2);
    double g = radial_gain(act, r, param);
    double coef = r == 0 ? 0.0 : radial_gain_deriv_r(act, r, param) * hd / r2;
    for (int j = threadIdx.x; j < cols; j += BLOCK) {
        float dRaw = d[j];
        double dj = scale ? (double) dRaw * scale[j] : (double) dRaw;
        float up = dUp ? (float) (g * src[j] * dRaw) : 0.f;
        dst[j] = (float) (g * dj + coef * src[j]);
        if (dUp) dUp[j] = up;
    }
}

extern "C" __global__ void bias_act_bwd_row(const float* dOut, const float* pre, float* dPre, int cols, int act, float param) {
    long long base = (long long) blockIdx.x * cols;
    radial_jvp_row(act, param, pre + base, dOut + base, nullptr, dPre + base, nullptr, cols);
}

extern "C" __global__ void gated_fwd_elem(const float* gate, const float* up, float* out, long long n, int act) {
    GRID_STRIDE(i, n) out[i] = (float) (act_value(act, gate[i]) * up[i]);
}

extern "C" __global__ void gated_fwd_row(const float* gate, const float* up, float* out, int cols, int act, float param) {
    long long base = (long long) blockIdx.x * cols;
    double s = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK) s += (double) gate[base + j] * gate[base + j];
    double g = radial_gain(act, sqrt(block_sum(s)), param);
    for (int j = threadIdx.x; j < cols; j += BLOCK) out[base + j] = (float) (g * gate[base + j] * up[base + j]);
}

extern "C" __global__ void gated_bwd_elem(const float* dOut, const float* gate, const float* up, float* dGate, float* dUp,
                                          long long n, int act) {
    GRID_STRIDE(i, n) {
        double x = gate[i], d = dOut[i];
        float u = up[i];
        dGate[i] = (float) (d * u * act_derivative(act, x));
        dUp[i] = (float) (d * act_value(act, x));
    }
}

extern "C" __global__ void gated_bwd_row(const float* dOut, const float* gate, const float* up, float* dGate, float* dUp,
                                         int cols, int act, float param) {
    long long base = (long long) blockIdx.x * cols;
    radial_jvp_row(act, param, gate + base, dOut + base, up + base, dGate + base, dUp + base, cols);
}

extern "C" __global__ void layernorm_fwd(const float* x, const float* gamma, const float* beta, float eps,
                                         float* out, float* mean, float* rstd, int cols) {
    long long base = (long long) blockIdx.x * cols;
    double s = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK) s += x[base + j];
    double mu = block_sum(s) / cols, v = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK) { double dx = x[base + j] - mu; v += dx * dx; }
    v = block_sum(v);
    float muF = (float) mu, rs = (float) (1.0 / sqrt(v / cols + (double) eps));
    if (threadIdx.x == 0) { mean[blockIdx.x] = muF; rstd[blockIdx.x] = rs; }
    for (int j = threadIdx.x; j < cols; j += BLOCK) {
        float xh = (x[base + j] - muF) * rs;
        out[base + j] = xh * (gamma ? gamma[j] : 1.f) + (beta ? beta[j] : 0.f);
    }
}

// Parameter gradients: one thread per column, rows in order (deterministic, like the CPU).
extern "C" __global__ void layernorm_bwd_params(const float* dOut, const float* x, const float* mean, const float* rstd,
                                                float* dGamma, float* dBeta, int rows, int cols) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= cols) return;
    double ag = 0, ab = 0;
    for (int r = 0; r < rows; r++) {
        long long i = (long long) r * cols + j;
        float d = dOut[i];
        ag += (double) d * ((x[i] - mean[r]) * rstd[r]);
        ab += d;
    }
    if (dGamma) dGamma[j] += (float) ag;
    if (dBeta) dBeta[j] += (float) ab;
}

extern "C" __global__ void layernorm_bwd_dx(const float* dOut, const float* x, const float* gamma, const float* mean,
                                            const float* rstd, float* dx, int cols) {
    long long base = (long long) blockIdx.x * cols;
    float mu = mean[blockIdx.x], rs = rstd[blockIdx.x];
    double sd = 0, sdx = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK) {
        double dxh = (double) dOut[base + j] * (gamma ? gamma[j] : 1.f);
        sd += dxh;
        sdx += dxh * ((x[base + j] - mu) * rs);
    }
    double a = block_sum(sd) / cols, b = block_sum(sdx) / cols;
    for (int j = threadIdx.x; j < cols; j += BLOCK) {
        double dxh = (double) dOut[base + j] * (gamma ? gamma[j] : 1.f);
        double xh = (x[base + j] - mu) * rs;
        dx[base + j] = (float) (rs * (dxh - a - xh * b));
    }
}

extern "C" __global__ void rmsnorm_fwd(const float* x, const float* gamma, float eps, float* out, float* rstd, int cols) {
    long long base = (long long) blockIdx.x * cols;
    double s = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK) s += (double) x[base + j] * x[base + j];
    float rs = (float) (1.0 / sqrt(block_sum(s) / cols + (double) eps));
    if (threadIdx.x == 0) rstd[blockIdx.x] = rs;
    for (int j = threadIdx.x; j < cols; j += BLOCK) out[base + j] = x[base + j] * rs * (gamma ? gamma[j] : 1.f);
}

extern "C" __global__ void rmsnorm_bwd_dgamma(const float* dOut, const float* x, const float* rstd, float* dGamma,
                                              int rows, int cols) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= cols) return;
    double ag = 0;
    for (int r = 0; r < rows; r++) {
        long long i = (long long) r * cols + j;
        ag += (double) dOut[i] * (x[i] * rstd[r]);
    }
    dGamma[j] += (float) ag;
}

extern "C" __global__ void rmsnorm_bwd_dx(const float* dOut, const float* x, const float* gamma, const float* rstd,
                                          float* dx, int cols) {
    long long base = (long long) blockIdx.x * cols;
    float rs = rstd[blockIdx.x];
    double sdx = 0;
    for (int j = threadIdx.x; j < cols; j += BLOCK)
        sdx += (double) dOut[base + j] * (gamma ? gamma[j] : 1.f) * (x[base + j] * rs);
    double b = block_sum(sdx) / cols;
    for (int j = threadIdx.x; j < cols; j += BLOCK) {
        double dxh = (double) dOut[base + j] * (gamma ? gamma[j] : 1.f);
        dx[base + j] = (float) (rs * (dxh - (x[base + j] * rs) * b));
    }
}
