package io.geocont.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The host float64 pieces of GPU subspace iteration (run everywhere). */
class SmallLinalgTest {

    @Test
    void gramSchmidtGivesOrthonormalColumnsEvenWhenDeficient() {
        int rows = 50, r = 6;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[rows * r];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int t = 0; t < rows; t++) { x[t * r + 3] = 2 * x[t * r + 1]; x[t * r + 5] = 0; } // dependent and zero columns
        SmallLinalg.orthonormalizeColumns(x, rows, r);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) {
                double d = 0;
                for (int t = 0; t < rows; t++) d += x[t * r + i] * x[t * r + j];
                assertEquals(i == j ? 1.0 : 0.0, d, 1e-12, "Q^T Q at " + i + "," + j);
            }
    }

    @Test
    void squareSvdReconstructsAndSorts() {
        int r = 9;
        SplittableRandom rnd = new SplittableRandom(4);
        double[] b = new double[r * r];
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        double[][] f = SmallLinalg.svdSquare(b, r);
        double[] s = f[0], u = f[1], v = f[2];
        for (int i = 0; i + 1 < r; i++) assertTrue(s[i] >= s[i + 1]);
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) {
                double x = 0;
                for (int t = 0; t < r; t++) x += u[i * r + t] * s[t] * v[j * r + t];
                assertEquals(b[i * r + j], x, 1e-10);
            }
    }
}
