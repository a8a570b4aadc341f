package io.geocont.backend.cuda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where nvcc exists the build must have compiled the kernels into the jar's fatbin, and every
 * kernel the backend launches by name must be in it (a misspelt name would otherwise only fail
 * on a GPU).
 */
class KernelsBuiltTest {

    private static boolean nvccHere() {
        return Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc")) || System.getenv("GEOCONT_NVCC") != null;
    }

    @Test
    void fatbinIsBuiltWhereNvccExists() throws Exception {
        assumeTrue(nvccHere(), "no nvcc on this machine: the cuda-kernels profile did not run");
        assertTrue(CudaKernels.built(), "nvcc exists but " + CudaKernels.RESOURCE + " is missing");
        byte[] img = CudaKernels.image();
        // fatbin magic 0xBA55ED50, little-endian
        assertEquals(0x50, img[0] & 0xff);
        assertEquals(0xED, img[1] & 0xff);
        assertEquals(0x55, img[2] & 0xff);
        assertEquals(0xBA, img[3] & 0xff);
    }

    @Test
    void everyLaunchedKernelIsInTheFatbin() throws Exception {
        assumeTrue(CudaKernels.built(), "this build has no kernel fatbin (no nvcc at build time)");
        String img = new String(CudaKernels.image(), StandardCharsets.ISO_8859_1);
        String src = Files.readString(Path.of("src/main/java/io/geocont/backend/cuda/CudaBackend.java"));
        Matcher m = Pattern.compile("k\\.call\\(\"(\\w+)\"\\)").matcher(src);
        List<String> names = new ArrayList<>();
        while (m.find()) names.add(m.group(1));
        assertTrue(names.size() >= 30, "kernel names found in CudaBackend: " + names);
        for (String n : names) assertTrue(img.contains(".entry " + n + "("), "kernel " + n + " is not in the fatbin's PTX");
    }

    /**
     * The argument list each launch builds (ptr/i64 = 8 bytes, i32 = 4, f32 = float) matches the
     * kernel's PTX parameters (.u64, .u32/.s32, .f32) in number and type: a mismatch would pass
     * garbage to the kernel without any error.
     */
    @Test
    void launchArgumentsMatchEveryKernelsParameters() throws Exception {
        assumeTrue(CudaKernels.built(), "this build has no kernel fatbin (no nvcc at build time)");
        String img = new String(CudaKernels.image(), StandardCharsets.ISO_8859_1);
        String src = Files.readString(Path.of("src/main/java/io/geocont/backend/cuda/CudaBackend.java"));
        Matcher call = Pattern.compile("k\\.call\\(\"(\\w+)\"\\)").matcher(src);
        int checked = 0;
        while (call.find()) {
            String name = call.group(1);
            int end = src.indexOf(".go(", call.end());
            Matcher arg = Pattern.compile("\\.(ptr|i32|i64|f32)\\(").matcher(src.substring(call.end(), end));
            List<String> java = new ArrayList<>();
            while (arg.find()) java.add(switch (arg.group(1)) { case "i32" -> "u32"; case "f32" -> "f32"; default -> "u64"; });
            int entry = img.indexOf(".entry " + name + "(");
            assertTrue(entry >= 0, name);
            String header = img.substring(entry, img.indexOf(")", entry));
            Matcher param = Pattern.compile("\\.param \\.(\\w+) " + name + "_param_\\d+").matcher(header);
            List<String> ptx = new ArrayList<>();
            while (param.find()) ptx.add(param.group(1).replace("s32", "u32").replace("b32", "u32").replace("b64", "u64").replace("s64", "u64"));
            assertEquals(ptx, java, "arguments of kernel " + name);
            checked++;
        }
        assertTrue(checked >= 30, "checked " + checked + " launches");
    }
}
