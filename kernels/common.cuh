// Shared device helpers for geocont's kernels: activation math (mirrors
// io.geocont.backend.cpu.ActivationMath: evaluated in double, rounded to float once; also
// compiled for the host by kernels/check/activation_table.cu so a test can compare it with the
// Java reference without a GPU), block
// reductions in double, and the error word that index-checking kernels set.
#pragma once
#include <cuda_runtime.h>
#include <math.h>

// Activation codes: Activation.ordinal() on the Java side.
enum { ACT_IDENTITY = 0, ACT_RELU, ACT_GELU, ACT_SILU, ACT_TANH, ACT_RADIAL_TANH, ACT_RADIAL_RELU, ACT_RADIAL_SIGMOID };

#define BLOCK 256

__host__ __device__ __forceinline__ double sigmoidd(double x) {
    return 1.0 / (1.0 + exp(-x)); // as on the CPU: exp(-x) = inf gives exactly 0
}

__host__ __device__ __forceinline__ double normal_cdf(double x) { return 0.5 * erfc(-x * 0.7071067811865476); }

__host__ __device__ __forceinline__ double act_value(int act, double x) {
    switch (act) {
        case ACT_RELU: return x > 0 || x != x ? x : 0.0; // NaN propagates, like the CPU's Math.max(x, 0)
        case ACT_GELU: return x * normal_cdf(x);
        case ACT_SILU: return x * sigmoidd(x);
        case ACT_TANH: return tanh(x);
        default: return x;
    }
}

// ReLU'(0) = 0 (PyTorch's convention), as on the CPU.
__host__ __device__ __forceinline__ double act_derivative(int act, double x) {
    switch (act) {
        case ACT_RELU: return x > 0 ? 1.0 : 0.0;
        case ACT_GELU: return normal_cdf(x) + x * 0.3989422804014327 * exp(-0.5 * x * x);
        case ACT_SILU: { double s = sigmoidd(x); return s * (1.0 + x * (1.0 - s)); }
        case ACT_TANH: { double t = tanh(x); return 1.0 - t * t; }
        default: return 1.0;
    }
}

// g(r) of a radial activation phi(h) = g(||h||) h, with the CPU's limits at r = 0.
__host__ __device__ __forceinline__ double radial_gain(int act, double r, double b) {
    switch (act) {
        case ACT_RADIAL_TANH:
            if (r < 1e-4) return 1.0 - r * r / 3.0 + 2.0 * r * r * r * r / 15.0;
            return tanh(r) / r;
        case ACT_RADIAL_RELU:
            if (r == 0.0) return b == 0.0 ? 1.0 : 0.0;
            return r > b ? (r - b) / r : 0.0;
        default: return sigmoidd(r);
    }
}

// g'(r) r: the coefficient of (u.d) u in the Jacobian-vector product (0 at r = 0).
__host__ __device__ __forceinline__ double radial_gain_deriv_r(int act, double r, double b) {
    switch (act) {
        case ACT_RADIAL_TANH: {
            if (r < 1e-2) { double r2 = r * r; return r2 * (-2.0 / 3.0 + r2 * (8.0 / 15.0 - r2 * 68.0 / 315.0)); }
            double t = tanh(r);
            return (r * (1.0 - t * t) - t) / r;
        }
        case ACT_RADIAL_RELU:
            if (r == 0.0) return 0.0;
            return r > b ? b / r : 0.0;
        default: { double s = sigmoidd(r); return s * (1.0 - s) * r; }
    }
}

// Sum of v over the block (blockDim.x == BLOCK); every thread gets the result.
__device__ __forceinline__ double block_sum(double v) {
    __shared__ double warp_sums[BLOCK / 32];
    __shared__ double total;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) warp_sums[warp] = v;
    __syncthreads();
    if (warp == 0) {
        double w = lane < BLOCK / 32 ? warp_sums[lane] : 0.0;
        for (int o = 16; o > 0; o >>= 1) w += __shfl_down_sync(0xffffffffu, w, o);
        if (lane == 0) total = w;
    }
    __syncthreads();
    double r = total;
    __syncthreads(); // shared slots may be reused by the next call
    return r;
}

__device__ __forceinline__ float block_max(float v) {
    __shared__ float warp_max[BLOCK / 32];
    __shared__ float total;
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_down_sync(0xffffffffu, v, o));
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) warp_max[warp] = v;
    __syncthreads();
    if (warp == 0) {
        float w = lane < BLOCK / 32 ? warp_max[lane] : -INFINITY;
        for (int o = 16; o > 0; o >>= 1) w = fmaxf(w, __shfl_down_sync(0xffffffffu, w, o));
        if (lane == 0) total = w;
    }
    __syncthreads();
    float r = total;
    __syncthreads();
    return r;
}

// Index check for labels/tokens stored as floats: on a bad value the kernel records
// (code, row) in err[0..1] (first writer wins) and skips the row; the host checks err when it
// next synchronizes and throws an exception naming the op and the row.
__device__ __forceinline__ bool check_index(float v, int limit, int row, int code, int* err, int* out) {
    int i = (int) v;
    if ((float) i != v || i < 0 || i >= limit) {
        if (atomicCAS(err, 0, code) == 0) err[1] = row;
        return false;
    }
    *out = i;
    return true;
}

#define GRID_STRIDE(i, n) for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)
