package io.geocont.backend;

import java.util.Arrays;

/**
 * Argument checks every backend makes before touching memory, with one set of rules and messages:
 * on the CPU a bad size would be an index error deep in a kernel, on a GPU memory corruption, so
 * each op checks shapes, offsets and leading dimensions here first.
 */
public final class ShapeChecks {
    private ShapeChecks() { }

    public static String shape(Tensor t) { return t == null ? "null" : Arrays.toString(t.shape()); }

    public static void requireSize(String op, String name, Tensor t, long size, String what) {
        if (t.size() != size)
            throw new IllegalArgumentException(op + ": " + name + " " + shape(t) + " has " + t.size()
                    + " elements, expected " + size + " (" + what + ")");
    }

    /** As above, with the shape of {@code of} appended to {@code what}, built only for the message. */
    public static void requireSize(String op, String name, Tensor t, long size, String what, Tensor of) {
        if (t.size() != size)
            throw new IllegalArgumentException(op + ": " + name + " " + shape(t) + " has " + t.size()
                    + " elements, expected " + size + " (" + what + " " + shape(of) + ")");
    }

    public static void requireSameShape(String op, String an, Tensor a, String bn, Tensor b) {
        if (a.size() != b.size() || a.cols() != b.cols())
            throw new IllegalArgumentException(op + ": " + bn + " " + shape(b) + " does not match " + an + " " + shape(a));
    }

    /** "A [128, 784]": built only for a message (a GEMM is checked on every call; building it eagerly cost 2% of an MLP epoch). */
    private static String label(String name, Tensor t) { return name + " " + shape(t); }

    /** {@code name}: the operand's letter or name; the message adds the tensor's shape. */
    public static void checkMatrix(String op, String name, Tensor t, long off, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(op + ": negative size " + rows + "x" + cols + " for " + label(name, t));
        if (rows == 0 || cols == 0) return;
        if (off < 0) throw new IllegalArgumentException(op + ": negative offset " + off + " for " + label(name, t));
        if (ld < cols && rows > 1)
            throw new IllegalArgumentException(op + ": leading dimension " + ld + " of " + label(name, t) + " is smaller than its "
                    + cols + " stored columns");
        long last = off + (long) (rows - 1) * ld + cols;
        if (last > t.size())
            throw new IllegalArgumentException(op + ": " + label(name, t) + " stored " + rows + "x" + cols + " at offset " + off
                    + " with ld " + ld + " needs " + last + " elements, tensor " + shape(t) + " has " + t.size());
    }

    public static void checkGemm(String op, boolean transA, boolean transB, int m, int n, int k,
                          Tensor a, long offA, int lda, Tensor b, long offB, int ldb, Tensor c, long offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException(op + ": negative dimension");
        if (m > 0 && n > 0) {
            checkMatrix(op, "A", a, offA, transA ? k : m, transA ? m : k, lda);
            checkMatrix(op, "B", b, offB, transB ? n : k, transB ? k : n, ldb);
        }
        checkMatrix(op, "C", c, offC, m, n, ldc);
    }
}
