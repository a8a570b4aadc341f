package io.geocont.linalg.svd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Blocked float64 kernels of the Gram-eigen SVD (Gram matrix, Householder tridiagonalization,
 * tql2's rotations, U = X V). Results never depend on how a kernel blocks its work: every
 * output element sees a fixed sequence of operations (the elementwise kernels round each
 * element on its own, the sums run over their inner index in order, one fused multiply-add
 * chain each), so the vector width and the tails change no bit. A 128 x 128
 * problem fits in L2 but not L1; one-at-a-time loops spent their time re-reading rows and
 * waiting on short reductions.
 */
final class EigenKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    private EigenKernels() { }

    /**
     * One of tql2's rotations of the rows (z_i, z_i+1) of the eigenvector matrix, over n columns:
     * z_i+1 <- fma(s, z_i, c z_i+1) and z_i <- fma(c, z_i, -s z_i+1), elementwise.
     */
    static void rotateRows(double[] zi, double[] zi1, double c, double s, int n) {
        int k = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            DoubleVector cv = DoubleVector.broadcast(S, c), sv = DoubleVector.broadcast(S, s), nsv = DoubleVector.broadcast(S, -s);
            for (; k < bound; k += W) {
                DoubleVector a = DoubleVector.fromArray(S, zi, k), h = DoubleVector.fromArray(S, zi1, k);
                a.fma(sv, h.mul(cv)).intoArray(zi1, k);
                a.fma(cv, h.mul(nsv)).intoArray(zi, k);
            }
        }
        for (; k < n; k++) {
            double a = zi[k], h = zi1[k];
            zi1[k] = Math.fma(s, a, c * h);
            zi[k] = Math.fma(c, a, -s * h);
        }
    }

    /**
     * Two consecutive tql2 rotations in one pass: {@link #rotateRows}(z1, z2, c1, s1) and then
     * rotateRows(z0, z1, c0, s0), with the same operations per element in the same order.
     */
    static void rotateRowPair(double[] z0, double[] z1, double[] z2, double c1, double s1, double c0, double s0, int n) {
        int k = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            DoubleVector c1v = DoubleVector.broadcast(S, c1), s1v = DoubleVector.broadcast(S, s1), ns1v = DoubleVector.broadcast(S, -s1);
            DoubleVector c0v = DoubleVector.broadcast(S, c0), s0v = DoubleVector.broadcast(S, s0), ns0v = DoubleVector.broadcast(S, -s0);
            for (; k < bound; k += W) {
                DoubleVector a = DoubleVector.fromArray(S, z0, k), b = DoubleVector.fromArray(S, z1, k), h = DoubleVector.fromArray(S, z2, k);
                b.fma(s1v, h.mul(c1v)).intoArray(z2, k);
                DoubleVector b1 = b.fma(c1v, h.mul(ns1v));
                a.fma(s0v, b1.mul(c0v)).intoArray(z1, k);
                a.fma(c0v, b1.mul(ns0v)).intoArray(z0, k);
            }
        }
        for (; k < n; k++) {
            double a = z0[k], b = z1[k], h = z2[k];
            z2[k] = Math.fma(s1, b, c1 * h);
            double b1 = Math.fma(c1, b, -s1 * h);
            z1[k] = Math.fma(s0, a, c0 * b1);
            z0[k] = Math.fma(c0, a, -s0 * b1);
        }
    }

    /**
     * The upper triangle (and some entries below it, which the caller overwrites) of
     * z = X^T X for the m rows x[r] of length n, z zero on entry: z[i][j] accumulates
     * fma(x[r][i], x[r][j], .) for r = 0, 1, ... in order, as the row-by-row rank-1 updates do.
     * Tiles of 4 rows x 4 vectors of z stay in registers for the whole sum.
     */
    static void gramUpper(double[][] x, int m, int n, double[][] z) {
        int i0 = 0;
        for (; i0 + 4 <= n; i0 += 4) {
            int j = i0;
            for (; j <= n - 4 * W; j += 4 * W) gramTile4(x, m, i0, j, z);
            for (; j <= n - W; j += W) gramTile1(x, m, i0, j, z);
            for (; j < n; j++)
                for (int i = i0; i < i0 + 4; i++) {
                    double acc = z[i][j];
                    for (int r = 0; r < m; r++) acc = Math.fma(x[r][i], x[r][j], acc);
                    z[i][j] = acc;
                }
        }
        for (; i0 < n; i0++)
            for (int j = i0; j < n; j++) {
                double acc = z[i0][j];
                for (int r = 0; r < m; r++) acc = Math.fma(x[r][i0], x[r][j], acc);
                z[i0][j] = acc;
            }
    }

    /** z[i0..i0+4)[j .. j+4W) over every row of x. */
    private static void gramTile4(double[][] x, int m, int i0, int j, double[][] z) {
        DoubleVector z00 = DoubleVector.fromArray(S, z[i0], j), z01 = DoubleVector.fromArray(S, z[i0], j + W);
        DoubleVector z02 = DoubleVector.fromArray(S, z[i0], j + 2 * W), z03 = DoubleVector.fromArray(S, z[i0], j + 3 * W);
        DoubleVector z10 = DoubleVector.fromArray(S, z[i0 + 1], j), z11 = DoubleVector.fromArray(S, z[i0 + 1], j + W);
        DoubleVector z12 = DoubleVector.fromArray(S, z[i0 + 1], j + 2 * W), z13 = DoubleVector.fromArray(S, z[i0 + 1], j + 3 * W);
        DoubleVector z20 = DoubleVector.fromArray(S, z[i0 + 2], j), z21 = DoubleVector.fromArray(S, z[i0 + 2], j + W);
        DoubleVector z22 = DoubleVector.fromArray(S, z[i0 + 2], j + 2 * W), z23 = DoubleVector.fromArray(S, z[i0 + 2], j + 3 * W);
        DoubleVector z30 = DoubleVector.fromArray(S, z[i0 + 3], j), z31 = DoubleVector.fromArray(S, z[i0 + 3], j + W);
        DoubleVector z32 = DoubleVector.fromArray(S, z[i0 + 3], j + 2 * W), z33 = DoubleVector.fromArray(S, z[i0 + 3], j + 3 * W);
        for (int r = 0; r < m; r++) {
            double[] xr = x[r];
            DoubleVector c0 = DoubleVector.fromArray(S, xr, j), c1 = DoubleVector.fromArray(S, xr, j + W);
            DoubleVector c2 = DoubleVector.fromArray(S, xr, j + 2 * W), c3 = DoubleVector.fromArray(S, xr, j + 3 * W);
            DoubleVector e = DoubleVector.broadcast(S, xr[i0]);
            z00 = c0.fma(e, z00); z01 = c1.fma(e, z01); z02 = c2.fma(e, z02); z03 = c3.fma(e, z03);
            e = DoubleVector.broadcast(S, xr[i0 + 1]);
            z10 = c0.fma(e, z10); z11 = c1.fma(e, z11); z12 = c2.fma(e, z12); z13 = c3.fma(e, z13);
            e = DoubleVector.broadcast(S, xr[i0 + 2]);
            z20 = c0.fma(e, z20); z21 = c1.fma(e, z21); z22 = c2.fma(e, z22); z23 = c3.fma(e, z23);
            e = DoubleVector.broadcast(S, xr[i0 + 3]);
            z30 = c0.fma(e, z30); z31 = c1.fma(e, z31); z32 = c2.fma(e, z32); z33 = c3.fma(e, z33);
        }
        z00.intoArray(z[i0], j); z01.intoArray(z[i0], j + W); z02.intoArray(z[i0], j + 2 * W); z03.intoArray(z[i0], j + 3 * W);
        z10.intoArray(z[i0 + 1], j); z11.intoArray(z[i0 + 1], j + W); z12.intoArray(z[i0 + 1], j + 2 * W); z13.intoArray(z[i0 + 1], j + 3 * W);
        z20.intoArray(z[i0 + 2], j); z21.intoArray(z[i0 + 2], j + W); z22.intoArray(z[i0 + 2], j + 2 * W); z23.intoArray(z[i0 + 2], j + 3 * W);
        z30.intoArray(z[i0 + 3], j); z31.intoArray(z[i0 + 3], j + W); z32.intoArray(z[i0 + 3], j + 2 * W); z33.intoArray(z[i0 + 3], j + 3 * W);
    }

    /** z[i0..i0+4)[j .. j+W) over every row of x. */
    private static void gramTile1(double[][] x, int m, int i0, int j, double[][] z) {
        DoubleVector z0 = DoubleVector.fromArray(S, z[i0], j), z1 = DoubleVector.fromArray(S, z[i0 + 1], j);
        DoubleVector z2 = DoubleVector.fromArray(S, z[i0 + 2], j), z3 = DoubleVector.fromArray(S, z[i0 + 3], j);
        for (int r = 0; r < m; r++) {
            double[] xr = x[r];
            DoubleVector c0 = DoubleVector.fromArray(S, xr, j);
            z0 = c0.fma(DoubleVector.broadcast(S, xr[i0]), z0);
            z1 = c0.fma(DoubleVector.broadcast(S, xr[i0 + 1]), z1);
            z2 = c0.fma(DoubleVector.broadcast(S, xr[i0 + 2]), z2);
            z3 = c0.fma(DoubleVector.broadcast(S, xr[i0 + 3]), z3);
        }
        z0.intoArray(z[i0], j); z1.intoArray(z[i0 + 1], j); z2.intoArray(z[i0 + 2], j); z3.intoArray(z[i0 + 3], j);
    }

    /**
     * row[o+i] -= vr wp[o+i] + wr vp[o+i] for i < n, as fma(-vr, wp, fma(-wr, vp, row)): one row
     * of the rank-2 update B -= v w^T + w v^T of a Householder step (vr = v[row], wr = w[row]).
     */
    static void rank2(double[] row, double vr, double wr, double[] vp, double[] wp, int o, int n) {
        for (int i = o; i < o + n; i++) row[i] = Math.fma(-vr, wp[i], Math.fma(-wr, vp[i], row[i]));
    }

    /**
     * Where a pass over columns [o, end) of a row-block kernel below may start instead so that
     * it runs in whole 2W-column blocks (no masked last vector): o moved left as far as needed,
     * never below 0. The caller makes sure the extra columns come to no harm.
     */
    static int blockStart(int o, int end) {
        int len = end - o, blocks = (len + 2 * W - 1) / (2 * W);
        return Math.max(0, end - blocks * 2 * W);
    }

    /**
     * Over rows r0 .. r1-1 and columns o .. o+n-1 of a: each row gets the rank-2 update
     * a[r][c] = fma(-vp[r], wp[c], fma(-wp[r], vp[c], a[r][c])), and p[c] = sum_r v[r] a[r][c] of the
     * updated entries (r ascending, one fused multiply-add chain per column from 0): a Householder
     * step's update and the next step's product B v in one pass. Column blocks of 2W run down all
     * rows with their vp, wp and p in registers (row after row, the sum never goes to memory).
     */
    static void rank2AndProduct(double[][] a, int r0, int r1, double[] vp, double[] wp, double[] v, double[] p, int o, int n) {
        int c = o, end = o + n;
        for (; c <= end - 2 * W; c += 2 * W) {
            DoubleVector x0 = DoubleVector.fromArray(S, vp, c), x1 = DoubleVector.fromArray(S, vp, c + W);
            DoubleVector y0 = DoubleVector.fromArray(S, wp, c), y1 = DoubleVector.fromArray(S, wp, c + W);
            DoubleVector p0 = DoubleVector.zero(S), p1 = p0;
            for (int r = r0; r < r1; r++) {
                double[] row = a[r];
                DoubleVector nw = DoubleVector.broadcast(S, -wp[r]), nv = DoubleVector.broadcast(S, -vp[r]), vr = DoubleVector.broadcast(S, v[r]);
                DoubleVector t0 = y0.fma(nv, x0.fma(nw, DoubleVector.fromArray(S, row, c)));
                DoubleVector t1 = y1.fma(nv, x1.fma(nw, DoubleVector.fromArray(S, row, c + W)));
                t0.intoArray(row, c);
                t1.intoArray(row, c + W);
                p0 = t0.fma(vr, p0);
                p1 = t1.fma(vr, p1);
            }
            p0.intoArray(p, c);
            p1.intoArray(p, c + W);
        }
        for (; c < end; c += W) {                 // the last columns: one vector, masked where it passes the end
            VectorMask<Double> m = S.indexInRange(c, end);
            DoubleVector x0 = DoubleVector.fromArray(S, vp, c, m), y0 = DoubleVector.fromArray(S, wp, c, m), p0 = DoubleVector.zero(S);
            for (int r = r0; r < r1; r++) {
                double[] row = a[r];
                DoubleVector t0 = y0.fma(DoubleVector.broadcast(S, -vp[r]), x0.fma(DoubleVector.broadcast(S, -wp[r]), DoubleVector.fromArray(S, row, c, m)));
                t0.intoArray(row, c, m);
                p0 = t0.fma(DoubleVector.broadcast(S, v[r]), p0);
            }
            p0.intoArray(p, c, m);
        }
    }

    /**
     * Over rows r0 .. r1-1 and columns o .. o+n-1 of q: q[r][c] = fma(alpha[r], x[c], q[r][c]),
     * then y[c] = sum_r beta[r] q[r][c] of the new entries (r ascending, one fused multiply-add
     * chain per column from 0): one step's rank-1 update of the accumulated Q and the next step's
     * row combination, in one pass, column blocks of 2W down all rows as in {@link #rank2AndProduct}.
     */
    static void rank1AndCombination(double[][] q, int r0, int r1, double[] alpha, double[] x, double[] beta, double[] y, int o, int n) {
        int c = o, end = o + n;
        for (; c <= end - 2 * W; c += 2 * W) {
            DoubleVector x0 = DoubleVector.fromArray(S, x, c), x1 = DoubleVector.fromArray(S, x, c + W);
            DoubleVector y0 = DoubleVector.zero(S), y1 = y0;
            for (int r = r0; r < r1; r++) {
                double[] row = q[r];
                DoubleVector ar = DoubleVector.broadcast(S, alpha[r]), br = DoubleVector.broadcast(S, beta[r]);
                DoubleVector t0 = x0.fma(ar, DoubleVector.fromArray(S, row, c));
                DoubleVector t1 = x1.fma(ar, DoubleVector.fromArray(S, row, c + W));
                t0.intoArray(row, c);
                t1.intoArray(row, c + W);
                y0 = t0.fma(br, y0);
                y1 = t1.fma(br, y1);
            }
            y0.intoArray(y, c);
            y1.intoArray(y, c + W);
        }
        for (; c < end; c += W) {                 // the last columns: one vector, masked where it passes the end
            VectorMask<Double> m = S.indexInRange(c, end);
            DoubleVector x0 = DoubleVector.fromArray(S, x, c, m), y0 = DoubleVector.zero(S);
            for (int r = r0; r < r1; r++) {
                double[] row = q[r];
                DoubleVector t0 = x0.fma(DoubleVector.broadcast(S, alpha[r]), DoubleVector.fromArray(S, row, c, m));
                t0.intoArray(row, c, m);
                y0 = t0.fma(DoubleVector.broadcast(S, beta[r]), y0);
            }
            y0.intoArray(y, c, m);
        }
    }

    /**
     * c[i][j] = sum_t a[i][t] b[t][j] (t = 0 .. inner-1 in order, one fused multiply-add chain
     * per element) for i < rows, j < cols: the plain row-by-row product, with tiles of four rows
     * by 2W columns of c in registers (each chunk of b loaded once for four rows).
     */
    static void multiply(double[][] a, int rows, int inner, double[][] b, int cols, double[][] c) {
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            double[] a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
            double[] c0 = c[i], c1 = c[i + 1], c2 = c[i + 2], c3 = c[i + 3];
            int j = 0;
            for (; j <= cols - 2 * W; j += 2 * W) {
                DoubleVector z = DoubleVector.zero(S);
                DoubleVector p00 = z, p01 = z, p10 = z, p11 = z, p20 = z, p21 = z, p30 = z, p31 = z;
                for (int t = 0; t < inner; t++) {
                    double[] bt = b[t];
                    DoubleVector x0 = DoubleVector.fromArray(S, bt, j), x1 = DoubleVector.fromArray(S, bt, j + W);
                    DoubleVector e = DoubleVector.broadcast(S, a0[t]);
                    p00 = x0.fma(e, p00); p01 = x1.fma(e, p01);
                    e = DoubleVector.broadcast(S, a1[t]);
                    p10 = x0.fma(e, p10); p11 = x1.fma(e, p11);
                    e = DoubleVector.broadcast(S, a2[t]);
                    p20 = x0.fma(e, p20); p21 = x1.fma(e, p21);
                    e = DoubleVector.broadcast(S, a3[t]);
                    p30 = x0.fma(e, p30); p31 = x1.fma(e, p31);
                }
                p00.intoArray(c0, j); p01.intoArray(c0, j + W);
                p10.intoArray(c1, j); p11.intoArray(c1, j + W);
                p20.intoArray(c2, j); p21.intoArray(c2, j + W);
                p30.intoArray(c3, j); p31.intoArray(c3, j + W);
            }
            for (int r = i; r < i + 4; r++) multiplyTail(a[r], inner, b, j, cols, c[r]);
        }
        for (; i < rows; i++) multiplyTail(a[i], inner, b, 0, cols, c[i]);
    }

    /** c[j] = sum_t a[t] b[t][j] for j in [from, cols), the same chain per element as {@link #multiply}'s tiles. */
    private static void multiplyTail(double[] a, int inner, double[][] b, int from, int cols, double[] c) {
        for (int j = from; j < cols; j++) {
            double acc = 0;
            for (int t = 0; t < inner; t++) acc = Math.fma(a[t], b[t][j], acc);
            c[j] = acc;
        }
    }
}
