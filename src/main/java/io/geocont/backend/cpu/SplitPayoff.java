package io.geocont.backend.cpu;

/**
 * Learns, per size class of a product (powers of two of its multiply-adds), whether splitting it
 * over threads pays on this machine right now, from the times of the calls themselves. On a quiet
 * 2-core machine a 2048 x 128 x 128 GEMM runs ~1.8x faster on two threads; when other jobs keep
 * both cores busy (load 5-6, measured), the second thread is descheduled while it holds part of
 * the product and a 128 x 128 x 128 GEMM takes 3-4x longer split than on one thread. Either way
 * the bits are the same (threads split the tile grid, never k), so the choice is free to follow
 * the machine: each class keeps a moving average of nanoseconds per multiply-add for both ways,
 * takes the faster, and every {@link #PROBE}-th call tries the other, so a change of load is
 * noticed within a few dozen calls. Races between threads only blur the averages.
 */
final class SplitPayoff {
    /** One call in this many of a size class runs the way that is slower now, to re-measure it. */
    static final int PROBE = 32;
    /** Weight of a new time in the moving averages. */
    private static final double WEIGHT = 0.25;

    private final double[] splitNs = new double[64], wholeNs = new double[64];   // ns per FMA, 0 = not yet measured
    private final int[] calls = new int[64];

    /** Whether the next product of {@code fmas} multiply-adds should be split. */
    boolean split(long fmas) {
        int c = sizeClass(fmas);
        int n = ++calls[c];
        if (splitNs[c] == 0) return true;        // measure both ways first
        if (wholeNs[c] == 0) return false;
        boolean faster = splitNs[c] <= wholeNs[c];
        return n % PROBE == 0 ? !faster : faster;
    }

    /** Records that a product of {@code fmas} multiply-adds took {@code nanos}, split or not. */
    void record(long fmas, boolean split, long nanos) {
        int c = sizeClass(fmas);
        double[] avg = split ? splitNs : wholeNs;
        double x = (double) nanos / fmas;
        // a time under half the average replaces it: the first calls run before the JIT has
        // compiled the kernels, and averaging those in would keep that way looking slow for hundreds of calls
        avg[c] = avg[c] == 0 || x < avg[c] / 2 ? x : avg[c] + WEIGHT * (x - avg[c]);
    }

    private static int sizeClass(long fmas) { return 63 - Long.numberOfLeadingZeros(Math.max(1, fmas)); }
}
