package io.geocont.linalg.svd;

import io.geocont.linalg.ExactOptions;
import io.geocont.linalg.GramOperator;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdProvider;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.TopKOptions;

/**
 * Every SVD strategy geocont has, and the one planner that picks among them. Each algorithm is
 * written once: the exact one-sided Jacobi ({@link #exact}), the Gram-eigen fast path for the
 * small per-epoch matrices ({@link #gram}), and the thick-restart Lanczos for the leading
 * triplets ({@link #topK}, {@link #leading}), which runs on any {@link GramOperator}: a host
 * matrix, a checkpoint tensor in its stored width, or a device matrix.
 */
public final class Svds {
    /** Above this many rows or columns {@link Need#AUTO} stops computing every triplet. */
    public static final int EXACT_MAX_DIM = 1024;

    private Svds() { }

    /** What the caller needs of the decomposition. */
    public enum Need {
        /** every triplet, exactly (effective rank, s2-weighted alignment of all directions) */
        ALL,
        /** every triplet of a small matrix, fast (per-epoch metrics; squares the condition number) */
        ALL_FAST,
        /** the leading k triplets only */
        TOP_K,
        /** every triplet up to {@link #EXACT_MAX_DIM}, the leading k above */
        AUTO
    }

    /** Every triplet, one-sided Jacobi in float64 with the default sweep limit. */
    public static Svd exact() { return exact(ExactOptions.DEFAULTS); }

    public static Svd exact(ExactOptions options) { return new JacobiSvd(options); }

    /** Every triplet of a small matrix through the float64 Gram matrix (Householder tridiagonalization, then QL with implicit shifts). */
    public static Svd gram() { return new GramEigenSvd(); }

    /** The leading k triplets, default options. */
    public static Svd topK(int k) { return topK(k, TopKOptions.DEFAULTS); }

    public static Svd topK(int k, TopKOptions options) { return new LanczosTopK(k, options); }

    /** The leading triplet only (the top-k algorithm with k = 1). */
    public static Svd leading() { return topK(1); }

    /** s1 of a matrix (0 for a zero matrix). */
    public static double s1(Matrix a) {
        SvdResult r = leading().decompose(a);
        return r.s().length == 0 ? 0 : r.s()[0];
    }

    /**
     * The strategy for a need, on the device when one is given and has something to offer, else
     * on the host. {@code k} is the number of leading triplets wanted (TOP_K, AUTO).
     */
    public static Plan plan(Need need, int k, int rows, int cols, SvdProvider device) {
        return plan(need, k, rows, cols, device, TopKOptions.DEFAULTS);
    }

    public static Plan plan(Need need, int k, int rows, int cols, SvdProvider device, TopKOptions options) {
        Need n = need == Need.AUTO ? (Math.max(rows, cols) <= EXACT_MAX_DIM ? Need.ALL : Need.TOP_K) : need;
        return switch (n) {
            case ALL -> device != null && device.exact() != null
                    ? new Plan(device.exact(), "exact SVD on the device (cuSOLVER gesvdj, float64)", true)
                    : new Plan(exact(), "exact one-sided Jacobi SVD (float64)", true);
            case ALL_FAST -> new Plan(gram(), "Gram-eigen SVD (float64 A^T A, Householder tridiagonal + QL)", true);
            case TOP_K -> {
                Svd host = topK(k, options);
                String what = "top-" + k + " thick-restart Lanczos on A^T A (residual tolerance " + options.tolerance() + ")";
                yield device == null ? new Plan(host, what, false) : new Plan(new OnDevice(host, device), what + " with device products", false);
            }
            case AUTO -> throw new AssertionError();
        };
    }

    /** A chosen strategy, what to call it in outputs, and whether it gives every triplet. */
    public record Plan(Svd svd, String description, boolean complete) { }

    /** The top-k algorithm fed with the device's products: the matrix is uploaded once per call. */
    private record OnDevice(Svd host, SvdProvider device) implements Svd {
        @Override public SvdResult decompose(Matrix a) {
            GramOperator op = device.upload(a);
            if (op == null) return host.decompose(a);
            try {
                return host.decompose(op);
            } finally {
                if (op instanceof AutoCloseable c) {
                    try { c.close(); } catch (Exception e) { throw new IllegalStateException("freeing the device copy of " + a, e); }
                }
            }
        }

        @Override public SvdResult decompose(GramOperator a) {
            return a instanceof Matrix m ? decompose(m) : host.decompose(a);
        }
    }
}
