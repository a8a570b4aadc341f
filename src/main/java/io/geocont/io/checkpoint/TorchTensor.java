package io.geocont.io.checkpoint;

import java.util.Arrays;

/**
 * A tensor as a torch.save pickle describes it: a view ({@code offset}, {@code shape},
 * {@code stride}, all in elements of {@code dtype}) into a storage that lives in the archive as
 * {@code data/<key>}. Nothing is read until the store places it in a file.
 */
record TorchTensor(Storage storage, TorchDtype dtype, long offset, long[] shape, long[] stride) {
    /** A storage as its persistent id declares it: the archive key, its element type (uint8 when untyped), its size in bytes. */
    record Storage(String key, TorchDtype dtype, long bytes) { }

    long elements() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    @Override public String toString() {
        return dtype + " " + Arrays.toString(shape) + " stride " + Arrays.toString(stride) + " offset " + offset
                + " in storage '" + storage.key() + "'";
    }
}
