package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;
import io.geocont.linalg.svd.Svds;

import java.util.Arrays;

/**
 * The float64 reference for the analyzer tests: the exact one-sided Jacobi SVD (an algorithm
 * independent of the top-k Lanczos under test), truncated to the leading triplets.
 */
final class ReferenceSvd implements Svd {
    private final int keep;

    ReferenceSvd(int keep) { this.keep = keep; }

    @Override public SvdResult decompose(Matrix a) {
        SvdResult full = Svds.exact().decompose(a);
        int k = Math.min(keep, full.k());
        return new SvdResult(a.rows(), a.cols(), Arrays.copyOf(full.s(), k), Arrays.copyOf(full.u(), k),
                Arrays.copyOf(full.v(), k), full.frobeniusSq(), false, true, k < full.k() ? full.s()[k] : Double.NaN);
    }
}
