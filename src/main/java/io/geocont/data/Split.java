package io.geocont.data;

/** A training set and a held-out test set with the same input dimension. */
public record Split(Dataset train, Dataset test, String label) {
    public Split {
        if (train.dim() != test.dim())
            throw new IllegalArgumentException("train dim " + train.dim() + " != test dim " + test.dim());
    }

    public Split(Dataset train, Dataset test) { this(train, test, "custom"); }
}
