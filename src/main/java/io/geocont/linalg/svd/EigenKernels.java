package io.geocont.linalg.svd;

import io.geocont.linalg.Lanes;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Blocked float64 kernels of the Gram-eigen SVD (Gram matrix, tred2, tql2, U = X V). Each does
 * the work of several {@link VecOps} calls in one pass over the data, and each gives exactly
 * the bits of those one-at-a-time calls: every output element sees the same operations in the
 * same order (the dots keep {@link VecOps#dot}'s chains and lane order, the rotations stay
 * unfused multiply-adds as in the scalar loop), only loads, stores and independent chains are
 * shared. So the faster solver changes no result. A 128 x 128 problem fits in L2 but not L1;
 * the one-at-a-time loops spent their time re-reading rows and waiting on short reductions.
 */
final class EigenKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    private EigenKernels() { }

    /** Rows per {@link #dots} call, and the scratch it needs: {@code new double[DOTS * W]}. */
    static final int DOTS = 8;

    static double[] dotScratch() { return new double[DOTS * W]; }

    /**
     * out[oo + q] = {@link VecOps#dot}(a[r0 + q], ao, b, bo, n) for q < count (at most
     * {@link #DOTS}), bit for bit. A lone dot of a few hundred entries waits most of its time
     * on its reduction (eight dependent scalar adds after the vector chains); here each row's
     * chains run as in VecOps.dot, their combined vector goes to the scratch t, and the eight
     * lane sums then run side by side as independent chains, each in VecOps' order.
     */
    static void dots(double[][] a, int r0, int count, int ao, double[] b, int bo, int n, double[] out, int oo, double[] t) {
        int tail = 0;
        for (int q = 0; q < count; q++) tail = chains(a[r0 + q], ao, b, bo, n, t, q * W);
        for (int q = count * W; q < DOTS * W; q++) t[q] = 0;
        double[] sums = laneSums8(t);
        for (int q = 0; q < count; q++) {
            double sq = sums[q];
            double[] aq = a[r0 + q];
            for (int i = tail; i < n; i++) sq = Math.fma(aq[ao + i], b[bo + i], sq);
            out[oo + q] = sq;
        }
    }

    /**
     * out[i][r] = {@link VecOps#dot}(x[r], 0, v[i], 0, n) for r < m, i < k, bit for bit: blocks
     * of four rows and two vectors through {@link #dots4x2}, the rest through {@link #dots}.
     */
    static void rowDots(double[][] x, int m, double[][] v, int k, int n, double[][] out) {
        double[] t = dotScratch();
        int i = 0;
        if (n >= 4 * W) {
            int mBlocked = m - m % 4;
            for (; i + 2 <= k; i += 2) {
                for (int r = 0; r < mBlocked; r += 4) dots4x2(x, r, v, i, n, out, r, t);
                for (int j = i; j < i + 2; j++)
                    for (int r = mBlocked; r < m; r += DOTS) dots(x, r, Math.min(DOTS, m - r), 0, v[j], 0, n, out[j], r, t);
            }
        }
        for (; i < k; i++)
            for (int r = 0; r < m; r += DOTS) dots(x, r, Math.min(DOTS, m - r), 0, v[i], 0, n, out[i], r, t);
    }

    /**
     * The eight dots of rows a[r0 .. r0+4) with rows b[b0], b[b0+1] (all of length n >= 4W),
     * each bit for bit {@link VecOps#dot}(a_r, 0, b_i, 0, n), into out[i][oo + r - r0].
     * A dot's four chains are independent, so they run one after the other for all eight pairs
     * (every chunk of a and b loaded once for two or four products: 6 loads per 8 FMAs where a
     * lone dot needs 16), then combine as VecOps.dot does; the lane sums go through {@link #laneSums8}.
     */
    static void dots4x2(double[][] a, int r0, double[][] b, int b0, int n, double[][] out, int oo, double[] t) {
        double[] x0 = a[r0], x1 = a[r0 + 1], x2 = a[r0 + 2], x3 = a[r0 + 3], y0 = b[b0], y1 = b[b0 + 1];
        int blocks = n / (4 * W), end = 4 * W * blocks;
        DoubleVector z = DoubleVector.zero(S);
        // chain 0: chunk 0 of every 4W block, then the W chunks after the last block (VecOps.dot's acc0)
        DoubleVector p00 = z, p10 = z, p20 = z, p30 = z, p01 = z, p11 = z, p21 = z, p31 = z;
        int i = 0;
        for (int blk = 0; blk < blocks; blk++, i += 4 * W) {
            DoubleVector u = DoubleVector.fromArray(S, y0, i), v = DoubleVector.fromArray(S, y1, i);
            DoubleVector c0 = DoubleVector.fromArray(S, x0, i), c1 = DoubleVector.fromArray(S, x1, i);
            DoubleVector c2 = DoubleVector.fromArray(S, x2, i), c3 = DoubleVector.fromArray(S, x3, i);
            p00 = c0.fma(u, p00); p10 = c1.fma(u, p10); p20 = c2.fma(u, p20); p30 = c3.fma(u, p30);
            p01 = c0.fma(v, p01); p11 = c1.fma(v, p11); p21 = c2.fma(v, p21); p31 = c3.fma(v, p31);
        }
        for (i = end; i <= n - W; i += W) {
            DoubleVector u = DoubleVector.fromArray(S, y0, i), v = DoubleVector.fromArray(S, y1, i);
            DoubleVector c0 = DoubleVector.fromArray(S, x0, i), c1 = DoubleVector.fromArray(S, x1, i);
            DoubleVector c2 = DoubleVector.fromArray(S, x2, i), c3 = DoubleVector.fromArray(S, x3, i);
            p00 = c0.fma(u, p00); p10 = c1.fma(u, p10); p20 = c2.fma(u, p20); p30 = c3.fma(u, p30);
            p01 = c0.fma(v, p01); p11 = c1.fma(v, p11); p21 = c2.fma(v, p21); p31 = c3.fma(v, p31);
        }
        int tail = i;
        // chain 1, added to chain 0 as (acc0 + acc1)
        DoubleVector q00 = z, q10 = z, q20 = z, q30 = z, q01 = z, q11 = z, q21 = z, q31 = z;
        for (int blk = 0, o = W; blk < blocks; blk++, o += 4 * W) {
            DoubleVector u = DoubleVector.fromArray(S, y0, o), v = DoubleVector.fromArray(S, y1, o);
            DoubleVector c0 = DoubleVector.fromArray(S, x0, o), c1 = DoubleVector.fromArray(S, x1, o);
            DoubleVector c2 = DoubleVector.fromArray(S, x2, o), c3 = DoubleVector.fromArray(S, x3, o);
            q00 = c0.fma(u, q00); q10 = c1.fma(u, q10); q20 = c2.fma(u, q20); q30 = c3.fma(u, q30);
            q01 = c0.fma(v, q01); q11 = c1.fma(v, q11); q21 = c2.fma(v, q21); q31 = c3.fma(v, q31);
        }
        p00 = p00.add(q00); p10 = p10.add(q10); p20 = p20.add(q20); p30 = p30.add(q30);
        p01 = p01.add(q01); p11 = p11.add(q11); p21 = p21.add(q21); p31 = p31.add(q31);
        // chains 2 and 3, added to each other first: (acc0 + acc1) + (acc2 + acc3)
        q00 = z; q10 = z; q20 = z; q30 = z; q01 = z; q11 = z; q21 = z; q31 = z;
        for (int blk = 0, o = 2 * W; blk < blocks; blk++, o += 4 * W) {
            DoubleVector u = DoubleVector.fromArray(S, y0, o), v = DoubleVector.fromArray(S, y1, o);
            DoubleVector c0 = DoubleVector.fromArray(S, x0, o), c1 = DoubleVector.fromArray(S, x1, o);
            DoubleVector c2 = DoubleVector.fromArray(S, x2, o), c3 = DoubleVector.fromArray(S, x3, o);
            q00 = c0.fma(u, q00); q10 = c1.fma(u, q10); q20 = c2.fma(u, q20); q30 = c3.fma(u, q30);
            q01 = c0.fma(v, q01); q11 = c1.fma(v, q11); q21 = c2.fma(v, q21); q31 = c3.fma(v, q31);
        }
        DoubleVector w00 = z, w10 = z, w20 = z, w30 = z, w01 = z, w11 = z, w21 = z, w31 = z;
        for (int blk = 0, o = 3 * W; blk < blocks; blk++, o += 4 * W) {
            DoubleVector u = DoubleVector.fromArray(S, y0, o), v = DoubleVector.fromArray(S, y1, o);
            DoubleVector c0 = DoubleVector.fromArray(S, x0, o), c1 = DoubleVector.fromArray(S, x1, o);
            DoubleVector c2 = DoubleVector.fromArray(S, x2, o), c3 = DoubleVector.fromArray(S, x3, o);
            w00 = c0.fma(u, w00); w10 = c1.fma(u, w10); w20 = c2.fma(u, w20); w30 = c3.fma(u, w30);
            w01 = c0.fma(v, w01); w11 = c1.fma(v, w11); w21 = c2.fma(v, w21); w31 = c3.fma(v, w31);
        }
        p00.add(q00.add(w00)).intoArray(t, 0); p10.add(q10.add(w10)).intoArray(t, W);
        p20.add(q20.add(w20)).intoArray(t, 2 * W); p30.add(q30.add(w30)).intoArray(t, 3 * W);
        p01.add(q01.add(w01)).intoArray(t, 4 * W); p11.add(q11.add(w11)).intoArray(t, 5 * W);
        p21.add(q21.add(w21)).intoArray(t, 6 * W); p31.add(q31.add(w31)).intoArray(t, 7 * W);
        double[] sums = laneSums8(t);
        double[][] rows = {x0, x1, x2, x3};
        for (int q = 0; q < 8; q++) {
            double[] ar = rows[q & 3], br = q < 4 ? y0 : y1;
            double sq = sums[q];
            for (int k = tail; k < n; k++) sq = Math.fma(ar[k], br[k], sq);
            out[b0 + (q >> 2)][oo + (q & 3)] = sq;
        }
    }

    /** The eight lane sums of t[q*W .. q*W + W) as {@link io.geocont.linalg.Lanes#sum} forms each (0 + lane 0 + lane 1 ...), side by side. */
    private static double[] laneSums8(double[] t) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (int j = 0; j < W; j++) {
            s0 += t[j]; s1 += t[W + j]; s2 += t[2 * W + j]; s3 += t[3 * W + j];
            s4 += t[4 * W + j]; s5 += t[5 * W + j]; s6 += t[6 * W + j]; s7 += t[7 * W + j];
        }
        return new double[]{s0, s1, s2, s3, s4, s5, s6, s7};
    }

    /**
     * {@link VecOps#dot}'s vector part for one row: its accumulator chains, combined as there,
     * stored to t[to .. to + W) (zeros when the length takes the scalar path only); returns
     * where the scalar tail starts.
     */
    private static int chains(double[] a, int ao, double[] b, int bo, int n, double[] t, int to) {
        int i = 0;
        if (n >= 4 * W) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
            int bound = n - 4 * W;
            for (; i <= bound; i += 4 * W) {
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, ao + i + W).fma(DoubleVector.fromArray(S, b, bo + i + W), acc1);
                acc2 = DoubleVector.fromArray(S, a, ao + i + 2 * W).fma(DoubleVector.fromArray(S, b, bo + i + 2 * W), acc2);
                acc3 = DoubleVector.fromArray(S, a, ao + i + 3 * W).fma(DoubleVector.fromArray(S, b, bo + i + 3 * W), acc3);
            }
            for (; i <= n - W; i += W)
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
            acc0.add(acc1).add(acc2.add(acc3)).intoArray(t, to);
        } else if (n >= 2 * W) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0;
            int bound = n - 2 * W;
            for (; i <= bound; i += 2 * W) {
                acc0 = DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, ao + i + W).fma(DoubleVector.fromArray(S, b, bo + i + W), acc1);
            }
            acc0.add(acc1).intoArray(t, to);
        } else {
            DoubleVector.zero(S).intoArray(t, to);   // 0 + 0 + ... is the +0 VecOps.dot starts its scalar sum from
        }
        return i;
    }

    /**
     * One read of a[o .. o+n) for two VecOps calls: returns {@link VecOps#dot}(a, o, b, o, n)
     * bit for bit and does {@link VecOps#axpy}(alpha, a, o, y, o, n) (y += alpha a; each element
     * one fused multiply-add, so its grouping into vectors does not matter). b and y must not overlap.
     */
    static double dotAxpy(double[] a, double[] b, double alpha, double[] y, int o, int n) {
        int i = 0;
        double s = 0;
        DoubleVector av = DoubleVector.broadcast(S, alpha);
        if (n >= 4 * W) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0, acc2 = acc0, acc3 = acc0;
            int bound = n - 4 * W;
            for (; i <= bound; i += 4 * W) {
                int p = o + i;
                DoubleVector x0 = DoubleVector.fromArray(S, a, p), x1 = DoubleVector.fromArray(S, a, p + W);
                DoubleVector x2 = DoubleVector.fromArray(S, a, p + 2 * W), x3 = DoubleVector.fromArray(S, a, p + 3 * W);
                acc0 = x0.fma(DoubleVector.fromArray(S, b, p), acc0);
                acc1 = x1.fma(DoubleVector.fromArray(S, b, p + W), acc1);
                acc2 = x2.fma(DoubleVector.fromArray(S, b, p + 2 * W), acc2);
                acc3 = x3.fma(DoubleVector.fromArray(S, b, p + 3 * W), acc3);
                x0.fma(av, DoubleVector.fromArray(S, y, p)).intoArray(y, p);
                x1.fma(av, DoubleVector.fromArray(S, y, p + W)).intoArray(y, p + W);
                x2.fma(av, DoubleVector.fromArray(S, y, p + 2 * W)).intoArray(y, p + 2 * W);
                x3.fma(av, DoubleVector.fromArray(S, y, p + 3 * W)).intoArray(y, p + 3 * W);
            }
            for (; i <= n - W; i += W) {
                int p = o + i;
                DoubleVector x0 = DoubleVector.fromArray(S, a, p);
                acc0 = x0.fma(DoubleVector.fromArray(S, b, p), acc0);
                x0.fma(av, DoubleVector.fromArray(S, y, p)).intoArray(y, p);
            }
            s = Lanes.sum(acc0.add(acc1).add(acc2.add(acc3)), new double[W]);
        } else if (n >= 2 * W) {
            DoubleVector acc0 = DoubleVector.zero(S), acc1 = acc0;
            int bound = n - 2 * W;
            for (; i <= bound; i += 2 * W) {
                int p = o + i;
                DoubleVector x0 = DoubleVector.fromArray(S, a, p), x1 = DoubleVector.fromArray(S, a, p + W);
                acc0 = x0.fma(DoubleVector.fromArray(S, b, p), acc0);
                acc1 = x1.fma(DoubleVector.fromArray(S, b, p + W), acc1);
                x0.fma(av, DoubleVector.fromArray(S, y, p)).intoArray(y, p);
                x1.fma(av, DoubleVector.fromArray(S, y, p + W)).intoArray(y, p + W);
            }
            s = Lanes.sum(acc0.add(acc1), new double[W]);
        }
        for (; i < n; i++) {
            double x = a[o + i];
            s = Math.fma(x, b[o + i], s);
            y[o + i] = Math.fma(alpha, x, y[o + i]);
        }
        return s;
    }

    /**
     * y[o+i] += alpha x1[o+i] then += beta x2[o+i] (two {@link VecOps#axpy} calls, in that
     * order per element) in one read and write of y.
     */
    static void axpy2(double alpha, double[] x1, double beta, double[] x2, double[] y, int o, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            DoubleVector av = DoubleVector.broadcast(S, alpha), bv = DoubleVector.broadcast(S, beta);
            for (; i < bound; i += W) {
                int p = o + i;
                DoubleVector t = DoubleVector.fromArray(S, x1, p).fma(av, DoubleVector.fromArray(S, y, p));
                DoubleVector.fromArray(S, x2, p).fma(bv, t).intoArray(y, p);
            }
        }
        for (; i < n; i++) y[o + i] = Math.fma(beta, x2[o + i], Math.fma(alpha, x1[o + i], y[o + i]));
    }

    /**
     * Every implicit QL sweep of a tql2 run applied to the eigenvector rows, in order. Sweep q
     * rotates, for i = m_q - 1 down to l_q, (z[i], z[i+1]) <- (c z[i] - s z[i+1], s z[i] + c z[i+1])
     * with c = c[base_q + i], s = s[base_q + i], each product and sum rounded on its own as in
     * tql2's scalar loop. The rotations never feed back into the tridiagonal recurrence, so they
     * can wait until it is done and then run column block by column block: a block of every row
     * stays in L1 for all sweeps (the row-at-a-time loop streamed all of z through L2 once per
     * sweep), and within a sweep the running row stays in registers (row i+1 is final once
     * rotation i is done), one load and one store per element and rotation.
     */
    static void rotateAll(double[][] z, int n, int sweeps, int[] ls, int[] ms, int[] bases, double[] c, double[] s) {
        int k = 0;
        for (; k <= n - 4 * W; k += 4 * W)
            for (int q = 0; q < sweeps; q++) sweep4(z, k, ls[q], ms[q], bases[q], c, s);
        for (; k <= n - W; k += W)
            for (int q = 0; q < sweeps; q++) {
                int l = ls[q], m = ms[q], base = bases[q];
                DoubleVector h = DoubleVector.fromArray(S, z[m], k);
                for (int i = m - 1; i >= l; i--) {
                    DoubleVector cv = DoubleVector.broadcast(S, c[base + i]), sv = DoubleVector.broadcast(S, s[base + i]);
                    DoubleVector a = DoubleVector.fromArray(S, z[i], k);
                    sv.mul(a).add(cv.mul(h)).intoArray(z[i + 1], k);
                    h = cv.mul(a).sub(sv.mul(h));
                }
                h.intoArray(z[l], k);
            }
        for (; k < n; k++)
            for (int q = 0; q < sweeps; q++) {
                int l = ls[q], m = ms[q], base = bases[q];
                double h = z[m][k];
                for (int i = m - 1; i >= l; i--) {
                    double a = z[i][k], ci = c[base + i], si = s[base + i];
                    z[i + 1][k] = si * a + ci * h;
                    h = ci * a - si * h;
                }
                z[l][k] = h;
            }
    }

    /** One sweep on the columns k .. k+4W. */
    private static void sweep4(double[][] z, int k, int l, int m, int base, double[] c, double[] s) {
        double[] zm = z[m];
        DoubleVector h0 = DoubleVector.fromArray(S, zm, k), h1 = DoubleVector.fromArray(S, zm, k + W);
        DoubleVector h2 = DoubleVector.fromArray(S, zm, k + 2 * W), h3 = DoubleVector.fromArray(S, zm, k + 3 * W);
        for (int i = m - 1; i >= l; i--) {
            double[] zi = z[i], zi1 = z[i + 1];
            DoubleVector cv = DoubleVector.broadcast(S, c[base + i]), sv = DoubleVector.broadcast(S, s[base + i]);
            DoubleVector a0 = DoubleVector.fromArray(S, zi, k), a1 = DoubleVector.fromArray(S, zi, k + W);
            DoubleVector a2 = DoubleVector.fromArray(S, zi, k + 2 * W), a3 = DoubleVector.fromArray(S, zi, k + 3 * W);
            sv.mul(a0).add(cv.mul(h0)).intoArray(zi1, k);
            sv.mul(a1).add(cv.mul(h1)).intoArray(zi1, k + W);
            sv.mul(a2).add(cv.mul(h2)).intoArray(zi1, k + 2 * W);
            sv.mul(a3).add(cv.mul(h3)).intoArray(zi1, k + 3 * W);
            h0 = cv.mul(a0).sub(sv.mul(h0));
            h1 = cv.mul(a1).sub(sv.mul(h1));
            h2 = cv.mul(a2).sub(sv.mul(h2));
            h3 = cv.mul(a3).sub(sv.mul(h3));
        }
        double[] zl = z[l];
        h0.intoArray(zl, k); h1.intoArray(zl, k + W); h2.intoArray(zl, k + 2 * W); h3.intoArray(zl, k + 3 * W);
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
}
