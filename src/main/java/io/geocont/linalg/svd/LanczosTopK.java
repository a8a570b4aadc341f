package io.geocont.linalg.svd;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Parallel;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdNotConvergedException;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.TopKOptions;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The leading k singular triplets by thick-restart Lanczos on B = A^T A (the Wu-Simon TRLan /
 * Krylov-Schur scheme that IRLBA and PROPACK apply to the bidiagonalization). B is never formed:
 * each step is one {@link GramOperator#applyGram} call, which reads A once and returns both
 * y = A v and B v; the Golub-Kahan bidiagonalization would read A twice for the same Krylov
 * space. The basis V, its images Y = A V and Z = B V are kept in float64 with full
 * re-orthogonalization (twice, classical Gram-Schmidt), the projected matrix H = V^T Z is
 * formed explicitly, and Rayleigh-Ritz on it gives Ritz pairs (theta_i = s_i^2, v_i = V w_i,
 * u_i = Y w_i / s_i). When the basis is full it restarts from the leading Ritz vectors plus
 * the current residual direction, so no product is thrown away. Passes carry two vectors until
 * the leading pair is resolved, then one: the leading pair's residual (see {@link #BLOCK}).
 *
 * <p>Convergence is decided on the vectors: triplet i is done when its residual
 * ||A^T u_i - s_i v_i|| / s_1 = ||Z w_i - theta_i V w_i|| / (s_i s_1) is at most the tolerance
 * and its angle bound (eigen-residual over the gap to the next Ritz value, Davis-Kahan) is at
 * most sqrt(tolerance) / 3; the residual is computed from the stored products, so it includes
 * the rounding of the float32 products. A leading pair whose two Ritz values have converged to
 * within the tie tolerance of each other is reported tied (its v1 is not determined), and a
 * Krylov space that closes (an exact multiple singular value, an orthogonal matrix) continues
 * with a fresh random direction so multiplicities are seen. Working on A^T A in float32 products
 * resolves singular values down to about 1e-3 s_1 (s_i^2 above 1e-6 s_1^2): directions below
 * that are numerically null here and count as converged (continuity of such directions means
 * nothing; use the exact SVD to see them).
 */
final class LanczosTopK implements Svd {
    private static final double NULL_RATIO = 1e-6;
    /** Vectors per pass until the leading pair is resolved: two see a doubled leading singular
     * value (a tie, or a matrix with repeated blocks) that one cannot, since a single-vector
     * Krylov space holds one direction of every multiple eigenspace. Once the two leading Ritz
     * values are apart by more than their residuals (and not tied), the rest of the run goes on
     * with one vector per pass: a two-vector pass costs 1.5-2.3x a one-vector pass here
     * (the row kernels are bound by their arithmetic, not by reading A), while one vector
     * needs only ~1.2x the passes (measured on the peer families). */
    static final int BLOCK = 2;

    private final int k;
    private final TopKOptions options;

    LanczosTopK(int k, TopKOptions options) {
        if (k < 1) throw new IllegalArgumentException("top-k SVD needs k >= 1, got " + k);
        this.k = k;
        this.options = options;
    }

    @Override public SvdResult decompose(Matrix a) {
        int m = a.rows(), n = a.cols(), r = Math.min(m, n);
        if (r == 0) return new SvdResult(m, n, new double[0], new double[0][], new double[0][], a.frobeniusSq(), false);
        if (!a.allFinite()) throw new IllegalArgumentException("top-k SVD of a " + m + "x" + n + " matrix with a non-finite entry");
        int kk = Math.min(k, r);
        if ((long) m * n <= 4096 || options.basisFor(kk, m, n) >= r) return Svds.exact().decompose(a).leading(kk);
        return iterate(a, kk);
    }

    @Override public SvdResult decompose(GramOperator a) {
        if (a instanceof Matrix m) return decompose(m);
        int kk = Math.min(k, Math.min(a.rows(), a.cols()));
        return iterate(a, kk);
    }

    private SvdResult iterate(GramOperator a, int kk) {
        int m = a.rows(), n = a.cols(), r = Math.min(m, n);
        int maxBasis = options.basisFor(kk, m, n);
        int bs = Math.min(BLOCK, maxBasis);
        int keep = Math.max(kk + 1, Math.min(maxBasis - 2 * bs, kk + (maxBasis - kk) / 2)); // Ritz vectors kept on restart
        Basis basis = new Basis(maxBasis, m, n);
        SplittableRandom rng = new SplittableRandom(options.seed());
        double[][] next = new double[bs][];
        for (int c = 0; c < bs; c++) next[c] = randomOrthogonal(n, concat(basis.v, 0, next, c), c, rng);
        Ritz ritz = null;
        double worst = Double.NaN;
        boolean directResiduals = false; // set once the small-matrix residual was caught optimistic
        boolean single = false; // set once the leading pair is resolved: one vector per pass from then on
        for (int pass = 1; pass <= options.maxIterations(); pass++) {
            int b = next.length;
            // the product runs on float(next): those exact vectors join the basis (orthonormal to ~1e-7,
            // below what the float32 products resolve anyway)
            float[][] xf = new float[b][n];
            double[][] yOut = new double[b][m], zOut = new double[b][n];
            for (int c = 0; c < b; c++) for (int i = 0; i < n; i++) { xf[c][i] = (float) next[c][i]; next[c][i] = xf[c][i]; }
            a.applyGram(xf, yOut, zOut);
            if (pass == 1 && !(finite(yOut[0]) && finite(zOut[0]))) {
                String where = a.findNonFinite();
                throw new IllegalArgumentException("top-k SVD of " + a.describe() + ": non-finite entry"
                        + (where == null ? " (NaN or infinity)" : ": " + where));
            }
            double[][] vz = basis.add(next, yOut, zOut);
            int j = basis.j;
            // a pass that will restart computes the Ritz vectors it keeps once, for the verdict too
            boolean restartDue = j + b > maxBasis;
            ritz = basis.ritz(restartDue ? keep : Math.min(j, kk + 1), restartDue || directResiduals, restartDue);
            Verdict verdict = verdict(ritz, kk, j, r);
            if (verdict.done && !ritz.direct()) { // confirm on the vectors: the small-matrix residual cancels near its floor
                ritz = basis.ritz(Math.min(j, kk + 1), true, false);
                verdict = verdict(ritz, kk, j, r);
                directResiduals = !verdict.done;
            }
            worst = verdict.worst;
            if (verdict.done) return result(a, basis.withVectors(ritz, true), kk, a.frobeniusSq(), true);
            // the next block: B times the newest block minus its projection on the basis (block
            // Lanczos; the first Gram-Schmidt pass reuses the V^T z dots of H); a direction that
            // collapses (the Krylov space closed: an exact multiple singular value, an orthogonal
            // matrix) is replaced by a fresh random one
            double[][] cand = new double[b][];
            int got = 0;
            if (!single && b == 2 && resolved(ritz, kk)) single = true;
            if (single) { // one vector: the leading pair's residual (Davidson's expansion, which a restart keeps valid)
                double[] x = leadingResidual(basis, ritz);
                if (!orthogonalize(x, null, basis.v, j, 0, true)) { // the residual lies in the basis: go on as the block path does
                    x = randomUnit(n, rng);
                    if (!orthogonalize(x, null, basis.v, j, 0)) x = null; // the basis spans R^n
                }
                if (x != null) cand[got++] = x;
            } else for (int c = 0; c < b; c++) {
                double[] x = basis.z[j - b + c].clone();
                if (!orthogonalize(x, vz[c], concat(basis.v, j, cand, got), j, got)) {
                    x = randomUnit(n, rng);
                    if (!orthogonalize(x, null, concat(basis.v, j, cand, got), j, got)) continue; // the basis spans R^n
                }
                cand[got++] = x;
            }
            if (got == 0) return result(a, basis.withVectors(ritz, true), kk, a.frobeniusSq(), true); // the basis spans R^n: exact
            cand = Arrays.copyOf(cand, got);
            if (j + got > maxBasis) { // thick restart from the leading Ritz vectors; cand is orthogonal to all of them
                basis.restart(restartDue ? ritz : basis.ritz(keep, true, true));
                for (int c = 0; c < got; c++)
                    if (!orthogonalize(cand[c], null, concat(basis.v, basis.j, cand, c), basis.j, c))
                        cand[c] = randomOrthogonal(n, concat(basis.v, basis.j, cand, c), basis.j + c, rng);
            }
            next = cand;
        }
        // after a restart the last Ritz pairs belong to the old basis: recompute them on the current one
        SvdResult estimate = result(a, basis.withVectors(basis.ritz(Math.min(basis.j, kk + 1), true, true), true), kk, a.frobeniusSq(), false);
        if (options.onLimit() == TopKOptions.OnLimit.FLAG) return estimate;
        throw new SvdNotConvergedException("top-" + kk + " SVD of " + a.describe() + " did not converge in "
                + options.maxIterations() + " iterations (residual/angle measure " + worst + " above tolerance "
                + options.tolerance() + "); s_" + kk + " and s_" + (kk + 1) + " are probably nearly tied: raise"
                + " maxIterations or the basis, or use the exact SVD", estimate, worst);
    }

    /**
     * Ritz pairs of the leading {@code count}: theta (eigenvalues of H), the eigenvectors w,
     * eigen-residual norms ||Z w - theta V w||, and (when formed) v = V w, y = Y w, z = Z w.
     * {@code direct}: the residuals come from the formed vectors, not the small matrices.
     */
    private record Ritz(double[] theta, double[][] w, double[][] v, double[][] y, double[][] z, double[] residual,
                        double nextTheta, boolean direct) { }

    /**
     * The Krylov basis V (float64, full re-orthogonalization), its images Y = A V and Z = B V,
     * and three small matrices kept up to date as vectors join: H = V^T Z (symmetrized: the
     * projected matrix), G = Z^T Z and M = V^T V. With them the residual of a Ritz pair (theta,
     * w) is ||Z w - theta V w||^2 = w^T G w - 2 theta w^T H w + theta^2 w^T M w, an identity
     * that holds whatever rounding the products carry, so no n-long vector is formed to test
     * convergence; the vectors are formed only for results and restarts.
     */
    private static final class Basis {
        final double[][] v, y, z, h, g, mm;
        final int m, n;
        int j;

        Basis(int max, int m, int n) {
            v = new double[max][]; y = new double[max][]; z = new double[max][];
            h = new double[max][max]; g = new double[max][max]; mm = new double[max][max];
            this.m = m;
            this.n = n;
        }

        /** Adds a block; returns, per new vector c, the dots v_i . z_c for every i < j (the first Gram-Schmidt coefficients). */
        double[][] add(double[][] vs, double[][] ys, double[][] zs) {
            int b = vs.length, j0 = j;
            double[][] vz = new double[b][j0 + b];
            for (int c = 0; c < b; c++) {
                int p = j0 + c;
                v[p] = vs[c]; y[p] = ys[c]; z[p] = zs[c];
                double[] vzc = vz[c];
                // each i writes its own entries, so the dots can run on any thread (same bits)
                Parallel.RangeBody dotsWith = (from, to) -> {
                    double[] four = new double[4];
                    for (int i = from; i < to; i++) {
                        BasisOps.fourDots(v[i], z[i], v[p], z[p], n, four);
                        h[i][p] = h[p][i] = i < p ? 0.5 * (four[0] + four[1]) : four[0]; // symmetrize H = V^T B V
                        g[i][p] = g[p][i] = four[2];
                        mm[i][p] = mm[p][i] = four[3];
                        vzc[i] = four[0];
                        if (i >= j0 && i < p) vz[i - j0][p] = four[1]; // v_p . z_i for an earlier vector of this block
                    }
                };
                if (BasisOps.worthSplitting(p + 1, n)) Parallel.forRange(p + 1, 1, Integer.MAX_VALUE, dotsWith);
                else dotsWith.run(0, p + 1);
            }
            j = j0 + b;
            return vz;
        }

        Ritz ritz(int count, boolean direct, boolean images) {
            double[] all = new double[j];
            double[][] vecs = GramEigenSvd.symmetricEigen(h, j, all); // H = V^T B V is symmetric: its eigenpairs are the Ritz pairs
            double[] theta = Arrays.copyOf(all, count), res = new double[count];
            double[][] w = Arrays.copyOf(vecs, count);
            double[][] rv = new double[count][], ry = new double[count][], rz = new double[count][];
            for (int c = 0; c < count; c++) {
                if (direct) {
                    rv[c] = BasisOps.combine(v, w[c], j, n);
                    rz[c] = BasisOps.combine(z, w[c], j, n);
                    if (images) ry[c] = BasisOps.combine(y, w[c], j, m);
                    double s = 0;
                    for (int i = 0; i < n; i++) { double d = rz[c][i] - theta[c] * rv[c][i]; s += d * d; }
                    res[c] = Math.sqrt(s);
                } else {
                    double gw = quadratic(g, w[c]), hw = quadratic(h, w[c]), mw = quadratic(mm, w[c]);
                    res[c] = Math.sqrt(Math.max(0, gw - 2 * theta[c] * hw + theta[c] * theta[c] * mw));
                }
            }
            return new Ritz(theta, w, direct ? rv : null, images ? ry : null, direct ? rz : null, res,
                    count < j ? all[count] : Double.NaN, direct);
        }

        /** The same Ritz pairs with v = V w formed (and y = Y w when {@code images}). */
        Ritz withVectors(Ritz rz, boolean images) {
            int count = rz.theta.length;
            double[][] rv = rz.v, ry = rz.y;
            if (rv == null) { rv = new double[count][]; for (int c = 0; c < count; c++) rv[c] = BasisOps.combine(v, rz.w[c], j, n); }
            if (images && ry == null) { ry = new double[count][]; for (int c = 0; c < count; c++) ry[c] = BasisOps.combine(y, rz.w[c], j, m); }
            return new Ritz(rz.theta, rz.w, rv, ry, rz.z, rz.residual, rz.nextTheta, rz.direct);
        }

        /** Keeps the leading Ritz vectors of {@code full} (formed with images) as the new basis. */
        void restart(Ritz full) {
            int keep = full.theta.length;
            double[][] gk = new double[keep][keep], mk = new double[keep][keep];
            for (int p = 0; p < keep; p++)
                for (int q = 0; q <= p; q++) {
                    gk[p][q] = gk[q][p] = bilinear(g, full.w[p], full.w[q]);
                    mk[p][q] = mk[q][p] = bilinear(mm, full.w[p], full.w[q]);
                }
            for (int i = 0; i < v.length; i++) {
                v[i] = y[i] = z[i] = null;
                Arrays.fill(h[i], 0); Arrays.fill(g[i], 0); Arrays.fill(mm[i], 0);
            }
            for (int i = 0; i < keep; i++) {
                v[i] = full.v[i]; y[i] = full.y[i]; z[i] = full.z[i];
                h[i][i] = full.theta[i]; // W^T H W = diag(theta): W holds H's eigenvectors
                System.arraycopy(gk[i], 0, g[i], 0, keep);
                System.arraycopy(mk[i], 0, mm[i], 0, keep);
            }
            j = keep;
        }

        private double quadratic(double[][] a, double[] w) { return bilinear(a, w, w); }

        private double bilinear(double[][] a, double[] w, double[] u) {
            double s = 0;
            for (int p = 0; p < j; p++) {
                double t = 0;
                for (int q = 0; q < j; q++) t += a[p][q] * u[q];
                s += w[p] * t;
            }
            return s;
        }
    }

    private record Verdict(boolean done, double worst) { }

    /**
     * Done when each wanted triplet has a small residual and a small angle bound, or when the
     * leading pair is tied (both Ritz values converged and within the tie tolerance).
     */
    private Verdict verdict(Ritz rz, int kk, int j, int r) {
        double theta1 = rz.theta[0];
        if (theta1 <= 0) return new Verdict(j >= Math.min(r, 3), 0); // zero operator so far: a few directions confirm it
        double s1 = Math.sqrt(theta1);
        if (j < kk + 1 && j < r) return new Verdict(false, Double.POSITIVE_INFINITY);
        double angleTol = Math.sqrt(options.tolerance()) / 3; // sin(angle) <= 1e-3 at the default: |cos| >= 1 - 5e-7
        double worst = 0;
        boolean all = true;
        for (int c = 0; c < kk; c++) {
            double th = rz.theta[c], s = Math.sqrt(Math.max(th, 0));
            if (th <= NULL_RATIO * theta1) continue; // below what float32 products of A^T A resolve
            double rel = rz.residual[c] / (s * s1);
            double below = c + 1 < rz.theta.length ? rz.theta[c + 1] : (j >= r ? 0 : Double.NaN);
            double gap = th - below;
            double angle = j >= r ? 0 : gap > 0 ? rz.residual[c] / gap : Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.max(rel / options.tolerance(), angle / angleTol) * options.tolerance());
            if (!(rel <= options.tolerance() && angle <= angleTol)) all = false;
        }
        if (all) return new Verdict(true, worst);
        if (rz.theta.length >= 2) { // a tied leading pair: both values known well enough to say they are within the tolerance
            double ratio = Math.sqrt(theta1 / Math.max(rz.theta[1], Double.MIN_NORMAL));
            double valueTol = options.tieTolerance() * theta1 * 0.1;
            if (ratio - 1 <= options.tieTolerance() && rz.residual[0] <= valueTol && rz.residual[1] <= valueTol)
                return new Verdict(true, worst);
        }
        return new Verdict(false, worst);
    }

    /**
     * Whether a two-vector run may go on with one vector: the leading Ritz value exceeds the
     * second by more than both residuals (each Ritz value has an eigenvalue within its residual,
     * so the two are distinct eigenvalues, the block space having seen a doubled one if there
     * is one) and by more than the tie tolerance.
     */
    private boolean resolved(Ritz rz, int kk) {
        if (kk > 1 || rz.theta.length < 2 || !(rz.theta[1] > 0)) return false;
        double lo1 = rz.theta[0] - rz.residual[0], hi2 = rz.theta[1] + rz.residual[1];
        double tie = (1 + options.tieTolerance()) * (1 + options.tieTolerance()); // on s^2
        return lo1 > hi2 * tie;
    }

    /** z_1 - theta_1 v_1 of the leading Ritz pair, from the basis (the direction its error lies in). */
    private static double[] leadingResidual(Basis basis, Ritz rz) {
        double[] v = rz.v != null ? rz.v[0] : BasisOps.combine(basis.v, rz.w[0], basis.j, basis.n);
        double[] r = rz.z != null ? rz.z[0].clone() : BasisOps.combine(basis.z, rz.w[0], basis.j, basis.n);
        VecOps.axpy(-rz.theta[0], v, 0, r, 0, basis.n);
        return r;
    }

    private static SvdResult result(GramOperator a, Ritz rz, int kk, double frob, boolean converged) {
        int m = a.rows(), n = a.cols();
        double[] s = new double[kk];
        double[][] u = new double[kk][], v = new double[kk][];
        for (int c = 0; c < kk; c++) {
            boolean have = c < rz.theta.length;
            s[c] = have ? Math.sqrt(Math.max(rz.theta[c], 0)) : 0;
            v[c] = have ? unit(rz.v[c].clone()) : basisVector(n, c);
            double[] uc = have ? rz.y[c].clone() : null;
            double nu = uc == null ? 0 : Math.sqrt(VecOps.dot(uc, 0, uc, 0, m));
            if (nu > 0 && s[c] > 0) VecOps.scale(1 / nu, uc, 0, m);
            else uc = basisVector(m, c);
            u[c] = uc;
        }
        double next = kk < rz.theta.length ? Math.sqrt(Math.max(rz.theta[kk], 0))
                : !Double.isNaN(rz.nextTheta) ? Math.sqrt(Math.max(rz.nextTheta, 0)) : Double.NaN;
        return new SvdResult(m, n, s, u, v, frob, false, converged, next);
    }

    private static boolean finite(double[] x) {
        double s = 0;
        for (double e : x) s += e * 0; // NaN or infinity anywhere makes the sum NaN
        return s == 0;
    }

    /**
     * x minus its projection on the basis (basis[0..j) then the c extra vectors after them),
     * twice (classical Gram-Schmidt with one re-orthogonalization keeps float64 orthogonality);
     * {@code first}, when given, holds the first pass's dots with basis[0..j) (they were computed
     * for H). False when x lies in their span.
     */
    private static boolean orthogonalize(double[] x, double[] first, double[][] basis, int j, int extra) {
        return orthogonalize(x, first, basis, j, extra, false);
    }

    /** Kahan-Parlett / DGKS threshold: a pass that keeps this much of x's norm needs no second pass. */
    private static final double DGKS = 0.7071;

    private static boolean orthogonalize(double[] x, double[] first, double[][] basis, int j, int extra, boolean onceIfOrthogonal) {
        int n = x.length, all = j + extra;
        double before = Math.sqrt(VecOps.dot(x, 0, x, 0, n));
        if (before == 0) return false;
        double[] c = new double[all];
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 0 && first != null) {
                System.arraycopy(first, 0, c, 0, j);
                for (int i = j; i < all; i++) c[i] = VecOps.dot(basis[i], 0, x, 0, n);
                // the extra vectors' dots are taken before the basis part is removed: both are
                // orthogonal to the basis, so the order does not change the projection
            } else BasisOps.dots(basis, all, x, n, c);
            BasisOps.subtract(x, basis, c, all, n);
            // DGKS: a first pass that removed little (a Ritz residual is orthogonal to the basis
            // already) leaves x orthogonal to working precision; a second pass would change nothing
            if (pass == 0 && onceIfOrthogonal && VecOps.dot(x, 0, x, 0, n) >= DGKS * DGKS * before * before) break;
        }
        double after = Math.sqrt(VecOps.dot(x, 0, x, 0, n));
        if (!(after > 1e-10 * before)) return false;
        VecOps.scale(1 / after, x, 0, n);
        return true;
    }

    /** The first j basis vectors followed by the first c of extra (a view for orthogonalizing against both). */
    private static double[][] concat(double[][] basis, int j, double[][] extra, int c) {
        double[][] out = Arrays.copyOf(basis, j + c);
        System.arraycopy(extra, 0, out, j, c);
        return out;
    }

    private static double[] randomOrthogonal(int n, double[][] basis, int j, SplittableRandom rng) {
        for (int attempt = 0; attempt < 10; attempt++) {
            double[] x = randomUnit(n, rng);
            if (orthogonalize(x, null, basis, j, 0)) return x;
        }
        throw new IllegalStateException("no direction orthogonal to a basis of " + j + " vectors in R^" + n);
    }

    private static double[] randomUnit(int n, SplittableRandom rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextDouble() - 0.5 + (rng.nextDouble() - 0.5); // triangular: cheap, no zero mode
        return unit(x);
    }

    private static double[] unit(double[] x) {
        double s = Math.sqrt(VecOps.dot(x, 0, x, 0, x.length));
        if (s > 0) VecOps.scale(1 / s, x, 0, x.length);
        return x;
    }

    private static double[] basisVector(int n, int c) {
        double[] e = new double[n];
        e[Math.min(c, n - 1)] = 1;
        return e;
    }
}
