package io.geocont.analysis;

import io.geocont.linalg.SvdResult;

import java.util.List;

/**
 * |cos| between the leading vectors of every two layers, not only adjacent ones: shows whether a
 * shared direction spans the whole stack or drifts slowly (high near the diagonal only).
 */
public final class AllPairs {
    private AllPairs() { }

    /** L x L matrix of |cos(x1(i), x1(j))|; 1 on the diagonal; NaN in the rows and columns of layers whose leading pair is undefined. */
    public static double[][] of(List<SvdResult> stack, Continuity.Side side) {
        int n = stack.size();
        List<String> undefined = Continuity.undefinedLeadingPairs(stack);
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) { // |cos| is symmetric: the lower triangle mirrors the upper
                if (undefined.get(i) != null || undefined.get(j) != null) { out[i][j] = out[j][i] = Double.NaN; continue; }
                double[] x = vec(stack.get(i), side), y = vec(stack.get(j), side);
                if (x.length != y.length)
                    throw new IllegalArgumentException("layers " + i + " and " + j + " have " + side + " vectors of dimension " + x.length + " and " + y.length);
                out[i][j] = out[j][i] = Continuity.absCos(x, y);
            }
        return out;
    }

    private static double[] vec(SvdResult r, Continuity.Side side) { return side == Continuity.Side.V ? r.v()[0] : r.u()[0]; }
}
