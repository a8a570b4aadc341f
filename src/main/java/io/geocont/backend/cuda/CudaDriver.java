package io.geocont.backend.cuda;

import io.geocont.bindings.cuda.CuDriver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.geocont.backend.cuda.CudaErrors.checkDriver;

/** The driver API calls we use (device facts, modules, launches), each status-checked. */
public final class CudaDriver {
    private CudaDriver() { }

    public static void init() { checkDriver(CuDriver.cuInit(0), "cuInit"); }

    public static String deviceName(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dev = a.allocate(ValueLayout.JAVA_INT);
            checkDriver(CuDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            MemorySegment name = a.allocate(256);
            checkDriver(CuDriver.cuDeviceGetName(name, 256, dev.get(ValueLayout.JAVA_INT, 0)), "cuDeviceGetName");
            return name.getString(0);
        }
    }

    public static long totalMemory(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dev = a.allocate(ValueLayout.JAVA_INT);
            checkDriver(CuDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            MemorySegment bytes = a.allocate(ValueLayout.JAVA_LONG);
            checkDriver(CuDriver.cuDeviceTotalMem_v2(bytes, dev.get(ValueLayout.JAVA_INT, 0)), "cuDeviceTotalMem_v2");
            return bytes.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** {major, minor} compute capability. */
    public static int[] computeCapability(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dev = a.allocate(ValueLayout.JAVA_INT), v = a.allocate(ValueLayout.JAVA_INT);
            checkDriver(CuDriver.cuDeviceGet(dev, ordinal), "cuDeviceGet(" + ordinal + ")");
            int d = dev.get(ValueLayout.JAVA_INT, 0);
            checkDriver(CuDriver.cuDeviceGetAttribute(v, CuDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR(), d), "cuDeviceGetAttribute(major)");
            int major = v.get(ValueLayout.JAVA_INT, 0);
            checkDriver(CuDriver.cuDeviceGetAttribute(v, CuDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR(), d), "cuDeviceGetAttribute(minor)");
            return new int[]{major, v.get(ValueLayout.JAVA_INT, 0)};
        }
    }

    /** Loads a fatbin/PTX image into the current context (the runtime's primary context). */
    public static long moduleLoadData(byte[] image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment img = a.allocate(image.length + 1L, 16);
            img.copyFrom(MemorySegment.ofArray(image));
            MemorySegment mod = a.allocate(ValueLayout.ADDRESS);
            checkDriver(CuDriver.cuModuleLoadData(mod, img), "cuModuleLoadData(" + image.length + " bytes)");
            return mod.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    public static void moduleUnload(long module) {
        if (module != 0) checkDriver(CuDriver.cuModuleUnload(MemorySegment.ofAddress(module)), "cuModuleUnload");
    }

    public static long function(long module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(ValueLayout.ADDRESS);
            checkDriver(CuDriver.cuModuleGetFunction(f, MemorySegment.ofAddress(module), a.allocateFrom(name)),
                    "cuModuleGetFunction(" + name + ")");
            return f.get(ValueLayout.ADDRESS, 0).address();
        }
    }

    public static void launch(long function, String name, int gx, int gy, int block, long stream, MemorySegment params) {
        checkDriver(CuDriver.cuLaunchKernel(MemorySegment.ofAddress(function), gx, gy, 1, block, 1, 1, 0,
                MemorySegment.ofAddress(stream), params, MemorySegment.NULL), "cuLaunchKernel(" + name + ", grid " + gx + "x" + gy + ")");
    }
}
