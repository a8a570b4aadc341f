package io.geocont.backend.cpu;

import io.geocont.backend.Tensor;
import io.geocont.linalg.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** What every op of the CPU backend shares: the checks on its tensors and the grains of its work split. */
final class CpuOps {
    private CpuOps() { }

    /**
     * Least elements per task. Waking a parked worker costs ~50-100 us on this kind of (virtual)
     * machine, and a memory-bound pass over 256K floats takes about that long, so smaller ops
     * (the toy MLP's 128 x 128 ones) run on the caller's thread: splitting them made a quick MLP
     * epoch 1.6x slower on 2 threads than on 1.
     */
    static final int ELEMENT_GRAIN = 1 << 18;
    /** Elements per partial sum of a reduction (fixed: it decides the summation order). */
    static final int REDUCE_CHUNK = 1 << 14;

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** How an op splits [0, n) into tasks of at least {@code grain} indices: the backend's thread budget. */
    @FunctionalInterface
    interface Splitter { void forRange(int n, int grain, Parallel.RangeBody body); }

    static float[] arr(String op, String name, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        if (!(t instanceof CpuTensor ct))
            throw new IllegalArgumentException(op + ": " + name + " " + t + " is not a CPU tensor (made by backend "
                    + t.backend().name() + ")");
        if (ct.isClosed()) throw new IllegalStateException(op + ": " + name + " " + t + " was closed");
        return ct.data();
    }

    static float[] arrOrNull(String op, String name, Tensor t) { return t == null ? null : arr(op, name, t); }

    static int index(String op, String what, float v, int limit, int row) {
        int i = (int) v;
        if (i != v || i < 0 || i >= limit)
            throw new IllegalArgumentException(op + ": " + what + " " + v + " at row " + row + " is not an integer in [0, " + limit + ")");
        return i;
    }

    /** Rows per task so that a task has at least ELEMENT_GRAIN elements of work. */
    static int rowGrain(int cols) { return Math.max(1, ELEMENT_GRAIN / Math.max(1, cols)); }

    /** Columns per task of a column-split op over {@code rows} rows (at least 16, for whole cache lines). */
    static int columnGrain(int rows) { return Math.max(16, ELEMENT_GRAIN / Math.max(1, rows)); }
}
