package io.geocont.backend.cuda;

import io.geocont.backend.Activation;
import io.geocont.backend.cpu.ActivationMath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernels' activation math (kernels/common.cuh), compiled for the host by nvcc, against the
 * CPU reference (ActivationMath) at the same points: values, derivatives, radial gains and the
 * r = 0 conventions. Checks the CUDA port without a GPU; skipped where nvcc is absent.
 */
class ActivationTableTest {

    @Test
    void kernelActivationMathMatchesTheCpuReference(@TempDir Path dir) throws Exception {
        Path nvcc = Path.of(System.getenv().getOrDefault("GEOCONT_NVCC_PATH", "/usr/local/cuda/bin/nvcc"));
        assumeTrue(Files.isExecutable(nvcc), "no nvcc at " + nvcc + ": cannot build the host check of the kernel math");
        Path exe = dir.resolve("activation_table");
        Process build = new ProcessBuilder(nvcc.toString(), "-std=c++17", "-o", exe.toString(), "kernels/check/activation_table.cu")
                .redirectErrorStream(true).start();
        String buildLog = new String(build.getInputStream().readAllBytes());
        assertTrue(build.waitFor(120, TimeUnit.SECONDS), "nvcc timed out");
        assertEquals(0, build.exitValue(), "nvcc failed:\n" + buildLog);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(run.getInputStream().readAllBytes()).lines().toList();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS) && run.exitValue() == 0, "activation_table failed: " + lines);
        Activation[] acts = Activation.values();
        int checked = 0;
        for (String line : lines) {
            String[] f = line.trim().split(" ");
            Activation act = acts[Integer.parseInt(f[0])]; // kernel codes are Activation.ordinal()
            if (!act.rowWise()) {
                double x = num(f[1]);
                // the CPU's erfc is a 1.2e-7-relative fit; CUDA's is exact to a few ulps
                double tol = act == Activation.GELU ? 2e-7 : 1e-14;
                close(ActivationMath.value(act, x), num(f[2]), tol, act + " value at " + x);
                close(ActivationMath.derivative(act, x), num(f[3]), tol, act + " derivative at " + x);
            } else {
                double r = num(f[1]), b = num(f[2]);
                close(ActivationMath.radialGain(act, r, b), num(f[3]), 1e-10, act + " gain at r=" + r + " b=" + b);
                close(ActivationMath.radialGainDerivativeTimesR(act, r, b), num(f[4]), 1e-10, // cancellation: libm tanh vs StrictMath differ in the last digits
                        act + " g'(r) r at r=" + r + " b=" + b);
            }
            checked++;
        }
        assertEquals(5 * 15 + 3 * 2 * 11, checked);
    }

    /** C's printf writes NaN as "nan" or "-nan", which Double.parseDouble does not read. */
    private static double num(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).endsWith("nan") ? Double.NaN : Double.parseDouble(s);
    }

    private static void close(double want, double got, double rel, String what) {
        if (Double.isNaN(want) || Double.isNaN(got)) {
            assertEquals(Double.isNaN(want), Double.isNaN(got), what + ": cpu " + want + ", kernel " + got);
            return;
        }
        assertEquals(want, got, rel * Math.max(1e-300, Math.abs(want)) + 1e-300 + rel * 1e-3, what);
    }
}
