package io.geocont.io.checkpoint;

import io.geocont.analysis.Matrix;
import io.geocont.analysis.SvdResult;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast top-k recovers planted singular triplets of A = U diag(s) V^T, orientation included. */
class FusedSubspaceTopKTest {
    static double[][] orthonormalColumns(int dim, int count, long seed) {
        Random r = new Random(seed);
        double[][] q = new double[count][dim];
        for (double[] c : q) for (int j = 0; j < dim; j++) c[j] = r.nextGaussian();
        FusedSubspaceTopK.orthonormalize(q);
        return q;
    }

    static Matrix compose(double[][] u, double[] s, double[][] v) {
        int m = u[0].length, n = v[0].length;
        float[] d = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int c = 0; c < s.length; c++) x += u[c][i] * s[c] * v[c][j];
                d[i * n + j] = (float) x;
            }
        return new Matrix(m, n, d);
    }

    static double absCos(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += a[i] * b[i];
        return Math.abs(d);
    }

    @Test void recoversPlantedTripletsOnBothSides() {
        for (int[] shape : new int[][] {{90, 40}, {37, 130}, {200, 200}}) {
            int m = shape[0], n = shape[1], r = Math.min(m, n);
            double[][] u = orthonormalColumns(m, r, m), v = orthonormalColumns(n, r, n + 1);
            double[] s = new double[r];
            for (int c = 0; c < r; c++) s[c] = 10 * Math.pow(0.93, c); // a gap of 7% between neighbours, like real weights
            Matrix a = compose(u, s, v);
            FusedSubspaceTopK svd = new FusedSubspaceTopK(3);
            SvdResult res = svd.decompose(a);
            assertEquals(3, res.k());
            for (int c = 0; c < 3; c++) {
                assertEquals(s[c], res.s()[c], 1e-4 * s[0], "s" + c);
                assertTrue(absCos(u[c], res.u()[c]) > 1 - 1e-6, m + "x" + n + " u" + c + ": " + absCos(u[c], res.u()[c]));
                assertTrue(absCos(v[c], res.v()[c]) > 1 - 1e-6, m + "x" + n + " v" + c + ": " + absCos(v[c], res.v()[c]));
                assertEquals(m, res.u()[c].length);
                assertEquals(n, res.v()[c].length);
            }
            assertEquals(a.frobeniusSq(), res.frobeniusSq(), 1e-9 * a.frobeniusSq());
        }
    }

    @Test void tinyAndZeroMatrices() {
        SvdResult r = new FusedSubspaceTopK(1).decompose(new Matrix(2, 3, new float[] {0, 3, 0, 0, 0, 0}));
        assertEquals(3, r.s()[0], 1e-6);
        assertEquals(1, Math.abs(r.v()[0][1]), 1e-6);
        assertEquals(1, Math.abs(r.u()[0][0]), 1e-6);
        SvdResult z = new FusedSubspaceTopK(1).decompose(Matrix.zeros(4, 4));
        assertEquals(0, z.s()[0]);
        assertTrue(Double.isFinite(z.u()[0][0]) && Double.isFinite(z.v()[0][0]));
    }
}
