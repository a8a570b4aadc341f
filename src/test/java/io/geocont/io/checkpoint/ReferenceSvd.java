package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.svd.Svds;

/**
 * The float64 reference for the analyzer tests: the exact one-sided Jacobi SVD (an algorithm
 * independent of the top-k Lanczos under test), truncated to the leading triplets.
 */
final class ReferenceSvd implements Svd {
    private final int keep;

    ReferenceSvd(int keep) { this.keep = keep; }

    @Override public SvdResult decompose(Matrix a) {
        SvdResult full = Svds.exact().decompose(a);
        return full.leading(Math.min(keep, full.k()));
    }
}
