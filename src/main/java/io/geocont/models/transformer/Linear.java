package io.geocont.models.transformer;

import io.geocont.models.Param;

import io.geocont.backend.Backend;
import io.geocont.backend.Tensor;

/** The three GEMMs of a bias-free projection y = x W^T with W stored out x in. */
final class Linear {
    private Linear() { }

    /** y[rows, out] = x[rows, in] W^T. */
    static void forward(Backend be, Tensor x, Param w, Tensor y) {
        int rows = x.rows(), in = w.value().cols(), out = w.value().rows();
        be.gemm(false, true, rows, out, in, 1f, x, 0, in, w.value(), 0, in, 0f, y, 0, out);
    }

    /** dW[out, in] = dY^T x (overwrites). */
    static void weightGrad(Backend be, Tensor dY, Tensor x, Param w) {
        int rows = x.rows(), in = w.value().cols(), out = w.value().rows();
        be.gemm(true, false, out, in, rows, 1f, dY, 0, out, x, 0, in, 0f, w.grad(), 0, in);
    }

    /** dX[rows, in] = dY W (+ beta dX). */
    static void inputGrad(Backend be, Tensor dY, Param w, float beta, Tensor dX) {
        int rows = dY.rows(), in = w.value().cols(), out = w.value().rows();
        be.gemm(false, false, rows, in, out, 1f, dY, 0, out, w.value(), 0, in, beta, dX, 0, in);
    }
}
