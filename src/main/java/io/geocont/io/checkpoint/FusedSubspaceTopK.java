package io.geocont.io.checkpoint;

import io.geocont.analysis.Matrix;
import io.geocont.analysis.Svd;
import io.geocont.analysis.SvdResult;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * Leading k singular triplets of a large float32 weight matrix by block subspace iteration on
 * A^T A, tuned for checkpoint analysis: one fused, multithreaded pass over A per iteration
 * computes both Y = A Z and T = A^T Y (Vector API FMAs, float32 products; each row of A is read
 * once while it sits in cache), and everything small (orthonormalization, the b x b Rayleigh-Ritz
 * eigenproblem) is done in float64. The block is k plus oversampling, so the convergence rate is
 * (s_{b+1}/s_k)^2 per iteration. Stops when the top-k right vectors move by less than
 * {@code tolerance} (sine of the angle) between iterations, or after {@code maxIterations}.
 */
public final class FusedSubspaceTopK implements Svd {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final int k;
    private final int oversample;
    private final double tolerance;
    private final int maxIterations;
    private final long seed;
    private int lastIterations;

    public FusedSubspaceTopK(int k) { this(k, 7, 1e-6, 300, 12345L); }

    public FusedSubspaceTopK(int k, int oversample, double tolerance, int maxIterations, long seed) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        this.k = k;
        this.oversample = oversample;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.seed = seed;
    }

    /** Iterations the last {@link #decompose} took (for benchmarks). */
    public int lastIterations() { return lastIterations; }

    @Override public SvdResult decompose(Matrix a) {
        int m = a.rows(), n = a.cols(), r = Math.min(m, n);
        if (k > r) throw new IllegalArgumentException("top-" + k + " of a " + m + "x" + n + " matrix");
        int b = Math.min(k + oversample, r);
        double[][] z = new double[b][n];
        Random rnd = new Random(seed);
        for (double[] col : z) for (int j = 0; j < n; j++) col[j] = rnd.nextGaussian();
        orthonormalize(z);
        float[][] zf = new float[b][n];
        float[][] y = new float[b][m];
        double[][] prevV = null;
        Ritz ritz = null;
        int it = 0;
        while (true) {
            it++;
            toFloat(z, zf);
            double[][] t = fusedPass(a, zf, y);       // y = A z, t = A^T y
            ritz = ritz(y, z, b);
            boolean converged = prevV != null && maxSine(prevV, ritz.v) < tolerance;
            if (converged || it >= maxIterations || b == n) break;
            prevV = ritz.v;
            z = t;
            orthonormalize(z);
        }
        lastIterations = it;
        double[] s = new double[k];
        double[][] u = new double[k][], v = new double[k][];
        for (int i = 0; i < k; i++) {
            s[i] = ritz.sigma[i];
            v[i] = ritz.v[i];
            u[i] = ritz.u[i];
        }
        return new SvdResult(m, n, s, u, v, a.frobeniusSq(), false);
    }

    private record Ritz(double[] sigma, double[][] u, double[][] v) { }

    /** Rayleigh-Ritz on span(z): eigen of G = Y^T Y (b x b), sigma = sqrt(lambda), v = Z w, u = Y w / sigma. */
    private Ritz ritz(float[][] y, double[][] z, int b) {
        int m = y[0].length, n = z[0].length;
        double[][] g = new double[b][b];
        for (int p = 0; p < b; p++)
            for (int q = p; q < b; q++) {
                double s = 0;
                float[] yp = y[p], yq = y[q];
                for (int i = 0; i < m; i++) s += (double) yp[i] * yq[i];
                g[p][q] = g[q][p] = s;
            }
        double[][] w = new double[b][b];
        double[] lambda = SymmetricEigen.decompose(g, w); // descending; w[c] = eigenvector c
        double[] sigma = new double[k];
        double[][] u = new double[k][m], v = new double[k][n];
        for (int c = 0; c < k; c++) {
            sigma[c] = Math.sqrt(Math.max(lambda[c], 0));
            for (int p = 0; p < b; p++) {
                double wp = w[c][p];
                double[] zp = z[p];
                for (int j = 0; j < n; j++) v[c][j] += wp * zp[j];
                float[] yp = y[p];
                for (int i = 0; i < m; i++) u[c][i] += wp * yp[i];
            }
            normalize(u[c], m);
            normalize(v[c], n);
        }
        return new Ritz(sigma, u, v);
    }

    private static void normalize(double[] x, int dim) {
        double s = 0;
        for (double e : x) s += e * e;
        if (s == 0) { // a zero matrix: any unit vector is a singular vector
            x[0] = 1;
            return;
        }
        double inv = 1 / Math.sqrt(s);
        for (int i = 0; i < dim; i++) x[i] *= inv;
    }

    private static double maxSine(double[][] a, double[][] b) {
        double worst = 0;
        for (int c = 0; c < b.length; c++) {
            double d = 0;
            for (int j = 0; j < a[c].length; j++) d += a[c][j] * b[c][j];
            worst = Math.max(worst, Math.sqrt(Math.max(0, 1 - d * d)));
        }
        return worst;
    }

    private static void toFloat(double[][] z, float[][] zf) {
        for (int c = 0; c < z.length; c++) for (int j = 0; j < z[c].length; j++) zf[c][j] = (float) z[c][j];
    }

    /** Modified Gram-Schmidt, twice (enough for float64 orthogonality of a few columns). */
    static void orthonormalize(double[][] cols) {
        for (int pass = 0; pass < 2; pass++)
            for (int c = 0; c < cols.length; c++) {
                double[] x = cols[c];
                for (int p = 0; p < c; p++) {
                    double d = 0;
                    for (int j = 0; j < x.length; j++) d += x[j] * cols[p][j];
                    for (int j = 0; j < x.length; j++) x[j] -= d * cols[p][j];
                }
                double s = 0;
                for (double e : x) s += e * e;
                if (s < 1e-300) { // rank-deficient block: replace by a fresh random direction, retry
                    Random r = new Random(31L * c + pass + (long) x.length);
                    for (int j = 0; j < x.length; j++) x[j] = r.nextGaussian();
                    c--;
                    continue;
                }
                double inv = 1 / Math.sqrt(s);
                for (int j = 0; j < x.length; j++) x[j] *= inv;
            }
    }

    /**
     * One pass over A: y[c][i] = A_i . z[c] and t[c] = sum_i y[c][i] A_i, rows split over threads
     * (each thread keeps its own t, summed in float64 at the end).
     */
    static double[][] fusedPass(Matrix a, float[][] z, float[][] y) {
        int m = a.rows(), n = a.cols(), b = z.length;
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), m / 64));
        float[][][] partial = new float[threads][][];
        IntStream.range(0, threads).parallel().forEach(t -> {
            float[][] acc = new float[b][n];
            int r0 = (int) ((long) m * t / threads), r1 = (int) ((long) m * (t + 1) / threads);
            float[] data = a.data();
            float[] yi = new float[b];
            for (int i = r0; i < r1; i++) {
                int off = i * n;
                dots(data, off, n, z, yi);
                for (int c = 0; c < b; c++) y[c][i] = yi[c];
                axpys(data, off, n, yi, acc);
            }
            partial[t] = acc;
        });
        double[][] t = new double[b][n];
        for (float[][] p : partial)
            for (int c = 0; c < b; c++) for (int j = 0; j < n; j++) t[c][j] += p[c][j];
        return t;
    }

    /** out[c] = A_row . z[c], four columns at a time so the row is loaded once per group. */
    private static void dots(float[] a, int off, int n, float[][] z, float[] out) {
        int b = z.length, bound = F.loopBound(n);
        for (int c0 = 0; c0 < b; c0 += 4) {
            int cs = Math.min(4, b - c0);
            float[] z0 = z[c0], z1 = z[c0 + Math.min(1, cs - 1)], z2 = z[c0 + Math.min(2, cs - 1)], z3 = z[c0 + Math.min(3, cs - 1)];
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            int j = 0;
            for (; j < bound; j += F.length()) {
                FloatVector x = FloatVector.fromArray(F, a, off + j);
                s0 = x.fma(FloatVector.fromArray(F, z0, j), s0);
                s1 = x.fma(FloatVector.fromArray(F, z1, j), s1);
                s2 = x.fma(FloatVector.fromArray(F, z2, j), s2);
                s3 = x.fma(FloatVector.fromArray(F, z3, j), s3);
            }
            float r0 = s0.reduceLanes(VectorOperators.ADD), r1 = s1.reduceLanes(VectorOperators.ADD),
                    r2 = s2.reduceLanes(VectorOperators.ADD), r3 = s3.reduceLanes(VectorOperators.ADD);
            for (; j < n; j++) {
                float x = a[off + j];
                r0 += x * z0[j];
                r1 += x * z1[j];
                r2 += x * z2[j];
                r3 += x * z3[j];
            }
            out[c0] = r0;
            if (cs > 1) out[c0 + 1] = r1;
            if (cs > 2) out[c0 + 2] = r2;
            if (cs > 3) out[c0 + 3] = r3;
        }
    }

    /** acc[c] += w[c] * A_row for every c, the row loaded once per group of four. */
    private static void axpys(float[] a, int off, int n, float[] w, float[][] acc) {
        int b = acc.length, bound = F.loopBound(n);
        for (int c0 = 0; c0 < b; c0 += 4) {
            int cs = Math.min(4, b - c0);
            if (cs < 4) { // remainder columns one by one
                for (int c = c0; c < b; c++) {
                    float[] t = acc[c];
                    FloatVector wv = FloatVector.broadcast(F, w[c]);
                    int j = 0;
                    for (; j < bound; j += F.length())
                        FloatVector.fromArray(F, a, off + j).fma(wv, FloatVector.fromArray(F, t, j)).intoArray(t, j);
                    for (; j < n; j++) t[j] += w[c] * a[off + j];
                }
                return;
            }
            float[] t0 = acc[c0], t1 = acc[c0 + 1], t2 = acc[c0 + 2], t3 = acc[c0 + 3];
            FloatVector w0 = FloatVector.broadcast(F, w[c0]), w1 = FloatVector.broadcast(F, w[c0 + 1]),
                    w2 = FloatVector.broadcast(F, w[c0 + 2]), w3 = FloatVector.broadcast(F, w[c0 + 3]);
            int j = 0;
            for (; j < bound; j += F.length()) {
                FloatVector x = FloatVector.fromArray(F, a, off + j);
                x.fma(w0, FloatVector.fromArray(F, t0, j)).intoArray(t0, j);
                x.fma(w1, FloatVector.fromArray(F, t1, j)).intoArray(t1, j);
                x.fma(w2, FloatVector.fromArray(F, t2, j)).intoArray(t2, j);
                x.fma(w3, FloatVector.fromArray(F, t3, j)).intoArray(t3, j);
            }
            for (; j < n; j++) {
                float x = a[off + j];
                t0[j] += w[c0] * x;
                t1[j] += w[c0 + 1] * x;
                t2[j] += w[c0 + 2] * x;
                t3[j] += w[c0 + 3] * x;
            }
        }
    }
}
