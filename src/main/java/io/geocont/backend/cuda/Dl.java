package io.geocont.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * dlopen by soname through libc, so a failure reports dlerror()'s own text (Java's
 * SymbolLookup.libraryLookup only says "Cannot open library"). Used for the last step of the
 * library search: the dynamic linker's own search path (ld.so.cache, RPATHs, ...).
 */
final class Dl {
    private Dl() { }

    private static final int RTLD_NOW = 0x2, RTLD_GLOBAL = 0x100;

    /** Null on success (the library stays loaded), else the dlerror() message. */
    static String open(String soname) {
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            MethodHandle dlopen = linker.downcallHandle(libc.findOrThrow("dlopen"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle dlerror = linker.downcallHandle(libc.findOrThrow("dlerror"), FunctionDescriptor.of(ValueLayout.ADDRESS));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment h = (MemorySegment) dlopen.invokeExact(a.allocateFrom(soname), RTLD_NOW | RTLD_GLOBAL);
                if (!h.equals(MemorySegment.NULL)) return null;
                MemorySegment msg = (MemorySegment) dlerror.invokeExact();
                return msg.equals(MemorySegment.NULL) ? "dlopen failed (no dlerror message)" : msg.reinterpret(4096).getString(0);
            }
        } catch (Throwable t) {
            return "dlopen unavailable: " + t;
        }
    }
}
