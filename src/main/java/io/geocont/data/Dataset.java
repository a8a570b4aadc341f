package io.geocont.data;

/**
 * A labelled image set ready for a model: {@code images} holds n rows of {@code dim} floats,
 * pixels scaled to [0, 1] then standardized with the MNIST mean and std; {@code labels} are class
 * indices.
 */
public record Dataset(float[] images, int[] labels, int n, int dim) {
    /** The MNIST pixel mean and standard deviation (after scaling to [0, 1]), as torchvision uses. */
    public static final float MEAN = 0.1307f, STD = 0.3081f;

    public Dataset {
        if (n < 0 || dim <= 0 || (long) n * dim != images.length || labels.length != n)
            throw new IllegalArgumentException("dataset: n=" + n + ", dim=" + dim + " but " + images.length
                    + " pixel values and " + labels.length + " labels");
    }

    /** Scales bytes to [0, 1] and standardizes them; checks the labels lie in [0, classes). */
    public static Dataset fromBytes(byte[] pixels, byte[] labelBytes, int n, int dim, int classes, String source) {
        if ((long) n * dim != pixels.length || labelBytes.length != n)
            throw new IllegalArgumentException(source + ": " + (pixels.length / Math.max(dim, 1)) + " images but "
                    + labelBytes.length + " labels");
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) x[i] = ((pixels[i] & 0xff) / 255f - MEAN) / STD;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labelBytes[i] & 0xff;
            if (y[i] >= classes)
                throw new IllegalArgumentException(source + ": label " + y[i] + " at index " + i + " is not in 0.." + (classes - 1));
        }
        return new Dataset(x, y, n, dim);
    }

    /** Rows [from, to) as a new data set. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > n || from > to) throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + n);
        float[] x = java.util.Arrays.copyOfRange(images, from * dim, to * dim);
        int[] y = java.util.Arrays.copyOfRange(labels, from, to);
        return new Dataset(x, y, to - from, dim);
    }
}
