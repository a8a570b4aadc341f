package io.geocont.backend.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** The kernelParams block cuLaunchKernel reads: pointer i -> value i, scalars at their C layout. */
class KernelArgsTest {

    @Test
    void pointersAddressTheirValuesInOrder() {
        try (KernelArgs a = new KernelArgs()) {
            a.reset("k");
            a.ptr(0x7f00_1234_5678L);
            a.i32(-7);
            a.f32(2.5f);
            a.i64(1L << 40);
            assertEquals(4, a.count());
            MemorySegment params = a.params();
            MemorySegment p0 = params.getAtIndex(ValueLayout.ADDRESS, 0).reinterpret(8);
            MemorySegment p1 = params.getAtIndex(ValueLayout.ADDRESS, 1).reinterpret(8);
            MemorySegment p2 = params.getAtIndex(ValueLayout.ADDRESS, 2).reinterpret(8);
            MemorySegment p3 = params.getAtIndex(ValueLayout.ADDRESS, 3).reinterpret(8);
            assertEquals(0x7f00_1234_5678L, p0.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-7, p1.get(ValueLayout.JAVA_INT, 0));
            assertEquals(2.5f, p2.get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(1L << 40, p3.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(8, p1.address() - p0.address(), "8-byte slots");
            // refilling reuses the same slots (no allocation per launch) and clears stale high bytes
            a.reset("k2");
            a.i32(3);
            assertEquals(3L, p0.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void tooManyArgumentsNamesTheKernel() {
        try (KernelArgs a = new KernelArgs()) {
            a.reset("adamw");
            for (int i = 0; i < KernelArgs.MAX_ARGS; i++) a.i32(i);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.f32(1f));
            assertTrue(e.getMessage().startsWith("adamw: more than 16"), e.getMessage());
        }
    }
}
