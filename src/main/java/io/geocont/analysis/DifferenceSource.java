package io.geocont.analysis;

import io.geocont.linalg.GramOperator;
import io.geocont.linalg.LayerSource;
import io.geocont.linalg.Matrix;

import java.io.IOException;

/**
 * W_B - W_A layer by layer, read on demand (what a fine-tune changed). Both layers are copied
 * to float32 and subtracted, so three matrices are resident while one layer is read.
 */
public final class DifferenceSource implements LayerSource {
    private final LayerSource a, b;
    private final String name;

    public DifferenceSource(String name, LayerSource a, LayerSource b) {
        if (a.size() != b.size())
            throw new IllegalArgumentException(name + ": " + b.describe() + " has " + b.size() + " layers but " + a.describe() + " has " + a.size());
        this.name = name;
        this.a = a;
        this.b = b;
    }

    @Override public int size() { return a.size(); }

    @Override public GramOperator layer(int l) throws IOException {
        Matrix x = asMatrix(a.layer(l)), y = asMatrix(b.layer(l));
        if (x.rows() != y.rows() || x.cols() != y.cols())
            throw new IllegalArgumentException(name + " layer " + l + ": " + b.describe() + " is " + y.rows() + "x" + y.cols()
                    + " but " + a.describe() + " is " + x.rows() + "x" + x.cols() + " (compare needs same-shaped checkpoints)");
        float[] d = new float[x.data().length];
        for (int i = 0; i < d.length; i++) d[i] = y.data()[i] - x.data()[i];
        return new Matrix(x.rows(), x.cols(), d);
    }

    @Override public String describe() { return name; }

    private static Matrix asMatrix(GramOperator g) { return g instanceof Matrix m ? m : g.toMatrix(); }
}
