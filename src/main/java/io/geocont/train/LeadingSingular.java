package io.geocont.train;

import io.geocont.analysis.Matrix;

/**
 * The leading singular value and right singular vector of a small matrix by power iteration on
 * the float64 Gram matrix A^T A. Used per epoch where only the top direction matters (gradient
 * sums, W - W_init), which is much cheaper than a full SVD.
 */
public final class LeadingSingular {
    /** s1 and v1 (unit, arbitrary sign). */
    public record Result(double s1, double[] v1) { }

    private static final int MAX_ITER = 5000;

    private LeadingSingular() { }

    public static Result of(Matrix a) {
        int m = a.rows(), n = a.cols();
        double[][] x = GramEigenSvd.rowsAsDouble(a);
        double[] g = new double[n * n];
        for (int r = 0; r < m; r++) {
            double[] xr = x[r];
            for (int i = 0; i < n; i++) if (xr[i] != 0) DoubleKernels.axpy(xr[i], xr, i, g, i * n + i, n - i);
        }
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) g[i * n + j] = g[j * n + i];
        double trace = 0;
        for (int i = 0; i < n; i++) trace += g[i * n + i];
        if (trace == 0) return new Result(0, unit(n, 0));
        // Power iteration on (G / tr G)^2: one squaring (n^3 flops) squares the eigenvalue ratio
        // that sets the convergence rate, so small gaps converge in a few hundred cheap steps.
        double[] p = scaled(g, 1.0 / trace);
        for (int sq = 0; sq < 1; sq++) {
            p = square(p, n);
            double tr = 0;
            for (int i = 0; i < n; i++) tr += p[i * n + i];
            if (!(tr > 0)) break;
            p = scaled(p, 1.0 / tr);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 1.0 + 0.1 * Math.sin(1.7 * i + 0.3);
        normalize(v);
        double[] w = new double[n];
        for (int it = 0; it < MAX_ITER; it++) {
            multiply(p, v, w, n);
            double nl = normalize(w);
            double diff = 0;
            for (int i = 0; i < n; i++) { double dd = w[i] - v[i]; diff += dd * dd; }
            double[] t = v; v = w; w = t;
            if (diff < 1e-18 || nl == 0) break;     // |change| < 1e-9: far below what |cos| metrics resolve
        }
        multiply(g, v, w, n);
        double lambda = 0;
        for (int i = 0; i < n; i++) lambda += v[i] * w[i];     // Rayleigh quotient on A^T A
        return new Result(Math.sqrt(Math.max(lambda, 0)), v);
    }

    private static void multiply(double[] g, double[] v, double[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = DoubleKernels.dot(g, i * n, v, 0, n);
    }

    private static double[] scaled(double[] a, double f) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i] * f;
        return o;
    }

    /** a * a for a symmetric n x n a (row-major). */
    private static double[] square(double[] a, int n) {
        double[] o = new double[n * n];
        for (int i = 0; i < n; i++) {
            int io = i * n;
            for (int k = 0; k < n; k++) {
                double aik = a[io + k];
                if (aik != 0) DoubleKernels.axpy(aik, a, k * n, o, io, n);
            }
        }
        return o;
    }

    private static double normalize(double[] v) {
        double s = 0;
        for (double e : v) s += e * e;
        double nrm = Math.sqrt(s);
        if (nrm > 0) for (int i = 0; i < v.length; i++) v[i] /= nrm;
        return nrm;
    }

    private static double[] unit(int n, int i) {
        double[] e = new double[n];
        e[i] = 1;
        return e;
    }
}
