package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;

import java.util.SplittableRandom;

/** Test matrices with a known SVD: A = U diag(s) V^T from random orthogonal (Householder-product) factors. */
public final class KnownSpectrum {
    public final int m, n;
    public final double[] s;
    final double[][] u, v; // u[i] length m, v[i] length n
    public final double[] a;      // row-major m x n, float64

    public KnownSpectrum(int m, int n, double[] s, long seed) {
        this.m = m; this.n = n; this.s = s;
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] qm = orthogonal(m, rng), qn = orthogonal(n, rng);
        int r = Math.min(m, n);
        u = new double[r][]; v = new double[r][];
        for (int i = 0; i < r; i++) { u[i] = qm[i]; v[i] = qn[i]; }
        a = new double[m * n];
        for (int i = 0; i < Math.min(r, s.length); i++)
            for (int p = 0; p < m; p++) {
                double x = s[i] * u[i][p];
                for (int q = 0; q < n; q++) a[p * n + q] += x * v[i][q];
            }
    }

    /** Rows of a random orthogonal d x d matrix: a product of d Householder reflections of the identity. */
    public static double[][] orthogonal(int d, SplittableRandom rng) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) q[i][i] = 1;
        for (int h = 0; h < d; h++) {
            double[] w = new double[d];
            double nn = 0;
            for (int j = 0; j < d; j++) { w[j] = rng.nextGaussian(); nn += w[j] * w[j]; }
            double inv = 1 / Math.sqrt(nn);
            for (int j = 0; j < d; j++) w[j] *= inv;
            for (double[] row : q) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += row[j] * w[j];
                for (int j = 0; j < d; j++) row[j] -= 2 * dot * w[j];
            }
        }
        return q;
    }

    public Matrix asFloat() {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return new Matrix(m, n, f);
    }

    public double frobeniusSq() {
        double t = 0;
        for (double x : s) t += x * x;
        return t;
    }

    public static double[] geometric(int r, double first, double ratio) {
        double[] s = new double[r];
        for (int i = 0; i < r; i++) s[i] = first * Math.pow(ratio, i);
        return s;
    }

    public static double dot(double[] x, double[] y) {
        double t = 0;
        for (int i = 0; i < x.length; i++) t += x[i] * y[i];
        return t;
    }

    public static Matrix gaussian(int m, int n, SplittableRandom rng) {
        float[] f = new float[m * n];
        for (int i = 0; i < f.length; i++) f[i] = (float) rng.nextGaussian();
        return new Matrix(m, n, f);
    }
}
