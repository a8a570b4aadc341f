package io.geocont.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code void** kernelParams} block cuLaunchKernel reads: slot i holds argument i's value
 * (8 bytes, enough for any scalar or pointer we pass) and pointer i points at slot i. Made
 * once and refilled for every launch (cuLaunchKernel copies the values before returning), so
 * launching allocates nothing. Not thread-safe.
 */
final class KernelArgs implements AutoCloseable {
    static final int MAX_ARGS = 16;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment values = arena.allocate(8L * MAX_ARGS, 8);
    private final MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, MAX_ARGS);
    private int count;
    private String kernel = "?";

    KernelArgs() {
        for (int i = 0; i < MAX_ARGS; i++) pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(8L * i, 8));
    }

    /** Starts a new argument list for {@code kernel} (named in errors). */
    void reset(String kernel) {
        this.kernel = kernel;
        count = 0;
    }

    private MemorySegment slot() {
        if (count == MAX_ARGS) throw new IllegalStateException(kernel + ": more than " + MAX_ARGS + " kernel arguments");
        MemorySegment s = values.asSlice(8L * count++, 8);
        s.fill((byte) 0);
        return s;
    }

    void ptr(long devicePtr) { slot().set(ValueLayout.JAVA_LONG, 0, devicePtr); }
    void i32(int v) { slot().set(ValueLayout.JAVA_INT, 0, v); }
    void i64(long v) { slot().set(ValueLayout.JAVA_LONG, 0, v); }
    void f32(float v) { slot().set(ValueLayout.JAVA_FLOAT, 0, v); }

    int count() { return count; }

    /** The {@code void**} to pass as kernelParams. */
    MemorySegment params() { return pointers; }

    @Override public void close() { arena.close(); }
}
