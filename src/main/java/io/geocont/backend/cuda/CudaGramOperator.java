package io.geocont.backend.cuda;

import io.geocont.backend.Tensor;
import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;

/**
 * A matrix uploaded once to the GPU, offered to the shared top-k SVD as its product operator:
 * y = W X and z = W^T Y are two cuBLAS GEMMs (float32, the only O(m n) work); the thin blocks
 * travel to the host, where the algorithm keeps its float64 basis. cuBLAS's reduction order is
 * fixed for a given device and shape, so the answer is reproducible on one device.
 */
final class CudaGramOperator implements GramOperator, AutoCloseable {
    private final CudaBackend backend;
    private final Tensor w;
    private final int rows, cols;
    private final double frobeniusSq;

    CudaGramOperator(CudaBackend backend, Matrix a) {
        this.backend = backend;
        this.rows = a.rows();
        this.cols = a.cols();
        this.frobeniusSq = a.frobeniusSq();
        this.w = backend.fromArray(a.data(), rows, cols);
    }

    @Override public int rows() { return rows; }

    @Override public int cols() { return cols; }

    @Override public void applyGram(float[][] x, double[][] y, double[][] z) {
        int b = x.length;
        float[] xs = new float[cols * b];
        for (int c = 0; c < b; c++) for (int j = 0; j < cols; j++) xs[j * b + c] = x[c][j];
        try (Tensor tx = backend.fromArray(xs, cols, b); Tensor ty = backend.zeros(rows, b); Tensor tz = backend.zeros(cols, b)) {
            backend.matmul(false, false, 1f, w, tx, 0f, ty);  // Y = W X
            backend.matmul(true, false, 1f, w, ty, 0f, tz);   // Z = W^T Y
            float[] ys = ty.toArray(), zs = tz.toArray();
            for (int c = 0; c < b; c++) {
                for (int i = 0; i < rows; i++) y[c][i] = ys[i * b + c];
                for (int j = 0; j < cols; j++) z[c][j] = zs[j * b + c];
            }
        }
    }

    @Override public double frobeniusSq() { return frobeniusSq; }

    @Override public String describe() { return "float32 matrix " + rows + "x" + cols + " on the GPU"; }

    @Override public void close() { w.close(); }
}
