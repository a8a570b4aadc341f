package io.geocont.experiments.transformer;

import io.geocont.linalg.svd.Svds;

import io.geocont.analysis.Continuity;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.Svd;
import io.geocont.linalg.SvdResult;
import io.geocont.backend.Tensor;
import io.geocont.models.transformer.TransformerModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-projection continuity of a transformer (Fig. 3) plus the mean-direction diagnostic of
 * science.md section 5: |cos| of v1 with the mean input direction and of u1 with the mean output
 * direction, measured on activations of the model's last forward pass (a held-out batch).
 */
public final class ProjectionMetrics {
    private final Map<String, List<SvdResult>> initSvd = new LinkedHashMap<>();
    private final Map<String, List<Matrix>> initWeights = new LinkedHashMap<>();

    /** Remembers the initial weights (for the move ratio); call once on the freshly built model. */
    public ProjectionMetrics(TransformerModel init) {
        for (String p : TransformerModel.PROJECTIONS) {
            List<Matrix> ws = weights(init, p);
            initWeights.put(p, ws);
            initSvd.put(p, Continuity.decomposeAll(ws, Svds.plan(Svds.Need.ALL, 0, 0, 0, null).svd()));
        }
    }

    /** Measures every projection; the model's caches must hold the forward of a held-out batch. */
    public Map<String, ProjectionStats> measure(TransformerModel m) {
        int layers = m.config().layers();
        // Mean directions of each distinct input tensor (q, k, v share one), computed once.
        Map<Tensor, double[][]> means = new java.util.IdentityHashMap<>();
        Map<String, ProjectionStats> out = new LinkedHashMap<>();
        for (String p : TransformerModel.PROJECTIONS) {
            List<Matrix> ws = weights(m, p);
            List<SvdResult> svd = Continuity.decomposeAll(ws, Svds.plan(Svds.Need.ALL, 0, 0, 0, null).svd());
            double[] v1 = Continuity.pairs(svd, Continuity.Side.V, 0), u1 = Continuity.pairs(svd, Continuity.Side.U, 0);
            double erank = 0;
            double[] inCos = new double[layers], outCos = new double[layers], move = new double[layers];
            for (int l = 0; l < layers; l++) {
                SvdResult r = svd.get(l);
                erank += Continuity.effectiveRank(r) / layers;
                double[][] mm = means.computeIfAbsent(m.projectionInput(l, p), ProjectionMetrics::meanDirections);
                inCos[l] = absCos(r.v()[0], mm[0]);
                outCos[l] = absCos(r.u()[0], apply(ws.get(l), mm[1]));
                move[l] = Svds.s1(diff(ws.get(l), initWeights.get(p).get(l))) / initSvd.get(p).get(l).s()[0];
            }
            Matrix w0 = ws.get(0);
            out.put(p, new ProjectionStats(p, w0.rows(), w0.cols(), v1, Continuity.mean(v1), u1, Continuity.mean(u1),
                    Continuity.mean(Continuity.s2Weighted(svd, Continuity.Side.V, Continuity.S2Variant.LOWER_LAYER)),
                    Continuity.mean(Continuity.s2Weighted(svd, Continuity.Side.U, Continuity.S2Variant.LOWER_LAYER)),
                    erank, Continuity.randomBaseline(w0.cols()), Continuity.randomBaseline(w0.rows()),
                    inCos, Continuity.mean(inCos), outCos, Continuity.mean(outCos), move, Continuity.mean(move)));
        }
        return out;
    }

    static List<Matrix> weights(TransformerModel m, String projection) {
        List<Matrix> ws = new ArrayList<>();
        for (int l = 0; l < m.config().layers(); l++) {
            Tensor w = m.projection(l, projection).value();
            ws.add(new Matrix(w.rows(), w.cols(), w.toArray()));
        }
        return ws;
    }

    /**
     * {mean of the row-normalized rows, mean of the raw rows} of an activation matrix. The first
     * is the "mean input direction"; W times the second is the mean of the projection's outputs
     * (the projections are linear and bias-free).
     */
    static double[][] meanDirections(Tensor x) {
        float[] a = x.toArray();
        int rows = x.rows(), cols = x.cols();
        double[] unit = new double[cols], raw = new double[cols];
        for (int r = 0; r < rows; r++) {
            double n = 0;
            for (int j = 0; j < cols; j++) n += (double) a[r * cols + j] * a[r * cols + j];
            double inv = n > 0 ? 1 / Math.sqrt(n) : 0;
            for (int j = 0; j < cols; j++) { unit[j] += a[r * cols + j] * inv; raw[j] += a[r * cols + j]; }
        }
        return new double[][] {unit, raw};
    }

    static double[] apply(Matrix w, double[] x) {
        double[] y = new double[w.rows()];
        for (int i = 0; i < w.rows(); i++) {
            double s = 0;
            for (int j = 0; j < w.cols(); j++) s += w.get(i, j) * x[j];
            y[i] = s;
        }
        return y;
    }

    static double absCos(double[] a, double[] b) {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return na > 0 && nb > 0 ? Math.min(1, Math.abs(d) / Math.sqrt(na * nb)) : 0;
    }

    private static Matrix diff(Matrix a, Matrix b) {
        float[] d = new float[a.data().length];
        for (int i = 0; i < d.length; i++) d[i] = a.data()[i] - b.data()[i];
        return new Matrix(a.rows(), a.cols(), d);
    }

}
