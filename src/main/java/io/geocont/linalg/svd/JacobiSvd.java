package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.ExactOptions;

import io.geocont.linalg.Svd;

import io.geocont.linalg.SvdNotConvergedException;
import java.util.Arrays;
import io.geocont.linalg.Parallel;

/**
 * Exact SVD: one-sided (Hestenes) Jacobi in float64, preconditioned by a column-pivoted
 * Householder QR (Drmac-Veselic): for a tall T (M x N, M >= N), T P = Q R, then Jacobi
 * orthogonalizes the columns of X = R^T, which start nearly orthogonal so few sweeps are needed.
 * Wide inputs are handled as their transpose.
 *
 * <p>Speed: every column lives contiguously (columns of X are rows of R), so dots and
 * rotations stream through {@link VecOps}. Columns are split into blocks (8 or more, so a
 * block pair stays near L2 size) paired by a round-robin tournament; the block pairs of a
 * round touch disjoint columns and run in parallel. The pair order depends only on the size, never on the thread count, so results are
 * bitwise reproducible. Pairs already orthogonal to the tolerance are skipped; norms are
 * updated by the rotation formula and recomputed each sweep.
 *
 * <p>The rotation J (X J = orthogonal columns) is not accumulated rotation by rotation: it is
 * recovered after the sweeps by one triangular solve ({@link RotationBySolve}), which halves the
 * work of every rotation. If R is near singular or the recovered J is not orthogonal enough, the
 * sweeps are redone accumulating J, the slower path that is always accurate.
 *
 * <p>Zero and rank-deficient inputs: singular values at the rounding level get right vectors
 * completed to an orthonormal set by Gram-Schmidt; left vectors are Q times the rotation,
 * orthonormal by construction when accumulated and by the check when recovered.
 */
final class JacobiSvd implements Svd {
    private static final double EPS = Math.ulp(1.0);
    // Block count depends on n only (machine-independent order). Few blocks mean few parallel
    // rounds per sweep (each round is a fork-join): 4 blocks at n <= 256 and 8 at 512 measured
    // 1.3x faster than 16 on 2 cores (2026-11-23); larger n still gets more blocks for more cores.
    private static final int MIN_BLOCKS = 4;
    private static final long BLOCK_PAIR_BYTES = 1L << 20; // columns of 2 blocks (x and, when accumulated, the rotation)
    private static final int BLOCKED_MIN_N = 32;  // below: plain cyclic order, one thread
    private static final int PARALLEL_MIN_N = 96; // below: blocked order, but one thread
    private static final int SOLVE_MIN_N = 16;    // below: always accumulate the rotation (cheap anyway)

    private final ExactOptions options;

    JacobiSvd(ExactOptions options) { this.options = options; }

    @Override public SvdResult decompose(Matrix a) {
        float[] f = a.data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return decompose(d, a.rows(), a.cols(), a.frobeniusSq(), options);
    }

    /** SVD of a row-major float64 m x n matrix (the array is not modified). */
    static SvdResult decompose(double[] rowMajor, int m, int n, double frobeniusSq, ExactOptions options) {
        if ((long) m * n != rowMajor.length) throw new IllegalArgumentException("matrix " + m + "x" + n + " needs " + ((long) m * n) + " values, got " + rowMajor.length);
        if (m == 0 || n == 0) return new SvdResult(m, n, new double[0], new double[0][], new double[0][], frobeniusSq, true);
        for (double x : rowMajor)
            if (!Double.isFinite(x)) throw new IllegalArgumentException("SVD of a " + m + "x" + n + " matrix with a non-finite entry (" + x + ")");
        boolean wide = m < n;
        int bigM = Math.max(m, n), bigN = Math.min(m, n);
        double[] cols; // the tall orientation T (bigM x bigN), column j at [j*bigM, (j+1)*bigM)
        if (wide) {
            cols = rowMajor.clone(); // T = A^T: its columns are A's rows, already contiguous
        } else {
            cols = new double[rowMajor.length];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) cols[j * m + i] = rowMajor[i * n + j];
        }
        Tall t;
        try {
            t = tall(cols, bigM, bigN, options);
        } catch (NotConverged e) {
            SvdResult est = orient(e.partial, m, n, wide, frobeniusSq);
            throw new SvdNotConvergedException("exact SVD of a " + m + "x" + n + " matrix did not converge in "
                    + options.maxSweeps() + " Jacobi sweeps (largest remaining |cos| " + e.maxCos + " > tolerance "
                    + e.tol + "); raise maxSweeps or check the input", est, e.maxCos);
        }
        return orient(t, m, n, wide, frobeniusSq);
    }

    private static SvdResult orient(Tall t, int m, int n, boolean wide, double frobeniusSq) {
        return wide ? new SvdResult(m, n, t.s, t.right, t.left, frobeniusSq, true)
                    : new SvdResult(m, n, t.s, t.left, t.right, frobeniusSq, true);
    }

    /** Singular values (descending) and vectors of a tall T: left[i] has length M, right[i] length N. */
    private record Tall(double[] s, double[][] left, double[][] right) { }

    private static final class NotConverged extends Exception {
        final transient Tall partial;
        final double maxCos, tol;
        NotConverged(Tall partial, double maxCos, double tol) {
            super(null, null, false, false);
            this.partial = partial; this.maxCos = maxCos; this.tol = tol;
        }
    }

    private static Tall tall(double[] cols, int bigM, int bigN, ExactOptions options) throws NotConverged {
        PivotedQr qr = PivotedQr.factor(cols, bigM, bigN);
        int n = bigN;
        // X = R^T: column i of X is row i of R (zeros left of the diagonal).
        double[] x = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = i; k < n; k++) x[i * n + k] = cols[k * bigM + i];
        double tol = options.tolerance() > 0 ? options.tolerance() : 4 * EPS * n;

        if (n >= SOLVE_MIN_N && RotationBySolve.worthTrying(x, n)) {
            // Fast path: rotate x only, then recover the rotation from X0 J = X (half the rotation work).
            double[] x0 = x.clone();
            Sweeper sw = new Sweeper(x, null, n, tol);
            if (sweepUntilConverged(sw, options)) {
                double[] jac = RotationBySolve.solve(x0, x, n);
                if (jac != null) return finish(x, jac, n, qr, bigM);
            }
            System.arraycopy(x0, 0, x, 0, x0.length); // not orthogonal enough (or not converged): redo, accumulating
        }

        double[] jac = new double[n * n]; // accumulated rotation, column i at [i*n, (i+1)*n)
        for (int i = 0; i < n; i++) jac[i * n + i] = 1;
        Sweeper sw = new Sweeper(x, jac, n, tol);
        boolean converged = sweepUntilConverged(sw, options);
        Tall result = finish(x, jac, n, qr, bigM);
        if (!converged) throw new NotConverged(result, sw.lastMaxCos, tol);
        return result;
    }

    private static boolean sweepUntilConverged(Sweeper sw, ExactOptions options) {
        for (int sweep = 0; sweep < options.maxSweeps(); sweep++)
            if (sw.sweep() == 0) return true;
        return false;
    }

    /** Turns the orthogonalized X and rotation into sorted singular triplets of T. */
    private static Tall finish(double[] x, double[] jac, int n, PivotedQr qr, int bigM) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = Math.sqrt(VecOps.dot(x, i * n, x, i * n, n));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a])); // stable: ties keep index order
        double[] sorted = new double[n];
        double[][] ux = new double[n][]; // right vectors of T before un-pivoting
        double smax = s[order[0]];
        double small = smax * EPS * n;
        int accepted = 0;
        double[][] basis = new double[n][];
        for (int r = 0; r < n; r++) {
            int i = order[r];
            sorted[r] = s[i];
            double[] col = Arrays.copyOfRange(x, i * n, (i + 1) * n);
            if (s[i] > small && s[i] > 0) {
                VecOps.scale(1 / s[i], col, 0, n);
            } else {
                col = complete(basis, accepted, s[i] > 0 ? scaled(col, 1 / s[i]) : null, n);
            }
            ux[r] = col;
            basis[accepted++] = col;
        }
        double[][] right = new double[n][n];
        for (int r = 0; r < n; r++)
            for (int k = 0; k < n; k++) right[r][qr.perm[k]] = ux[r][k];
        double[][] left = new double[n][];
        Parallel.forEach(n, n >= PARALLEL_MIN_N, r -> {
            double[] y = new double[bigM];
            System.arraycopy(jac, order[r] * n, y, 0, n);
            qr.applyQ(y);
            left[r] = y;
        });
        return new Tall(sorted, left, right);
    }

    private static double[] scaled(double[] v, double a) {
        double[] c = v.clone();
        VecOps.scale(a, c, 0, c.length);
        return c;
    }

    /**
     * A unit vector orthogonal to basis[0..count): the candidate if it survives two rounds of
     * Gram-Schmidt, otherwise the coordinate axis with the largest component outside the span.
     */
    static double[] complete(double[][] basis, int count, double[] candidate, int n) {
        if (candidate != null) {
            double[] c = orthogonalize(basis, count, candidate.clone(), n);
            if (c != null) return c;
        }
        double[] outside = new double[n];
        Arrays.fill(outside, 1);
        for (int b = 0; b < count; b++)
            for (int j = 0; j < n; j++) outside[j] -= basis[b][j] * basis[b][j];
        int best = 0;
        for (int j = 1; j < n; j++) if (outside[j] > outside[best]) best = j;
        double[] e = new double[n];
        e[best] = 1;
        double[] c = orthogonalize(basis, count, e, n);
        if (c == null) throw new IllegalStateException("cannot complete an orthonormal basis of R^" + n + " beyond " + count + " vectors");
        return c;
    }

    private static double[] orthogonalize(double[][] basis, int count, double[] c, int n) {
        double before = Math.sqrt(VecOps.dot(c, 0, c, 0, n));
        if (before == 0) return null;
        for (int pass = 0; pass < 2; pass++)
            for (int b = 0; b < count; b++) VecOps.axpy(-VecOps.dot(basis[b], 0, c, 0, n), basis[b], 0, c, 0, n);
        double after = Math.sqrt(VecOps.dot(c, 0, c, 0, n));
        if (!(after > 0.25 * before)) return null;
        VecOps.scale(1 / after, c, 0, n);
        return c;
    }

    /** The Jacobi sweeps over the columns of x (rotations mirrored onto jac). */
    private static final class Sweeper {
        final double[] x;
        final double[] jac; // null: rotate x only (the rotation is recovered afterwards)
        final int n;
        final double tol;
        final double[] nrm;
        final int[] bounds;       // block b = columns [bounds[b], bounds[b+1])
        final int[][][] rounds;   // rounds[r] = block pairs of round r
        double lastMaxCos;

        Sweeper(double[] x, double[] jac, int n, double tol) {
            this.x = x; this.jac = jac; this.n = n; this.tol = tol;
            this.nrm = new double[n];
            if (n >= BLOCKED_MIN_N) {
                int nb = blockCount(n);
                bounds = new int[nb + 1];
                for (int b = 0; b <= nb; b++) bounds[b] = (int) ((long) b * n / nb);
                rounds = tournament(nb);
            } else {
                bounds = new int[] {0, n};
                rounds = new int[][][] {{{0, 0}}};
            }
        }

        /** Even block count (a power of two) keeping one block pair's columns of x and the rotation near L2 size. */
        static int blockCount(int n) {
            int nb = MIN_BLOCKS;
            while (nb < 64 && 2L * 2 * ((long) n / nb) * n * Double.BYTES > BLOCK_PAIR_BYTES && n / (nb * 2) >= 8) nb *= 2;
            return nb;
        }

        /** One sweep over every pair; returns the number of rotations applied. */
        int sweep() {
            for (int i = 0; i < n; i++) nrm[i] = VecOps.dot(x, i * n, x, i * n, n);
            int rotations = 0;
            double maxCos = 0;
            for (int r = 0; r < rounds.length; r++) {
                int[][] pairs = rounds[r];
                boolean inBlock = r == 0;
                long[] rot = new long[pairs.length];
                double[] mc = new double[pairs.length];
                java.util.function.IntConsumer task = t -> {
                    double[] out = blockPair(pairs[t][0], pairs[t][1], inBlock);
                    rot[t] = (long) out[0];
                    mc[t] = out[1];
                };
                if (n >= PARALLEL_MIN_N) Parallel.forEach(pairs.length, task);
                else for (int t = 0; t < pairs.length; t++) task.accept(t);
                for (int t = 0; t < pairs.length; t++) { rotations += (int) rot[t]; maxCos = Math.max(maxCos, mc[t]); }
            }
            lastMaxCos = maxCos;
            return rotations;
        }

        /** All pairs between blocks a and b (and inside each when inBlock); {rotations, max |cos|}. */
        private double[] blockPair(int a, int b, boolean inBlock) {
            double[] acc = new double[2];
            int a0 = bounds[a], a1 = bounds[a + 1], b0 = bounds[b], b1 = bounds[b + 1];
            if (a == b) { // single block (small n): plain cyclic order
                for (int p = a0; p < a1; p++) for (int q = p + 1; q < a1; q++) pair(p, q, acc);
                return acc;
            }
            if (inBlock) {
                for (int p = a0; p < a1; p++) for (int q = p + 1; q < a1; q++) pair(p, q, acc);
                for (int p = b0; p < b1; p++) for (int q = p + 1; q < b1; q++) pair(p, q, acc);
            }
            for (int p = a0; p < a1; p++) for (int q = b0; q < b1; q++) pair(p, q, acc);
            return acc;
        }

        private void pair(int p, int q, double[] acc) {
            double alpha = nrm[p], beta = nrm[q];
            if (alpha == 0 || beta == 0) return; // a zero column is orthogonal to everything
            int po = p * n, qo = q * n;
            double gamma = VecOps.dot(x, po, x, qo, n);
            double cos = Math.abs(gamma) / Math.sqrt(alpha) / Math.sqrt(beta);
            if (cos > acc[1]) acc[1] = cos;
            if (!(cos > tol)) return;
            double zeta = (beta - alpha) / (2 * gamma);
            double t = Math.abs(zeta) > 1e150 ? 0.5 / zeta
                    : Math.copySign(1.0, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
            double c = 1 / Math.sqrt(1 + t * t), s = c * t;
            VecOps.rotate(x, po, qo, n, c, s);
            if (jac != null) VecOps.rotate(jac, po, qo, n, c, s);
            nrm[p] = Math.max(0, alpha - t * gamma);
            nrm[q] = Math.max(0, beta + t * gamma);
            acc[0]++;
        }

        /** Round-robin (circle method) schedule of nb blocks: nb-1 rounds of nb/2 disjoint pairs. */
        static int[][][] tournament(int nb) {
            int[] pos = new int[nb];
            for (int i = 0; i < nb; i++) pos[i] = i;
            int[][][] rounds = new int[nb - 1][nb / 2][];
            for (int r = 0; r < nb - 1; r++) {
                for (int k = 0; k < nb / 2; k++) {
                    int a = pos[k], b = pos[nb - 1 - k];
                    rounds[r][k] = new int[] {Math.min(a, b), Math.max(a, b)};
                }
                int last = pos[nb - 1]; // rotate all but position 0
                System.arraycopy(pos, 1, pos, 2, nb - 2);
                pos[1] = last;
            }
            return rounds;
        }
    }
}
