package io.geocont.backend.cuda;

import io.geocont.backend.Activation;
import io.geocont.backend.BackendStatus;
import io.geocont.backend.Tensor;

/**
 * A small GPU benchmark run by native/gpu/run-on-gpu.sh next to its PyTorch peer
 * (native/gpu/torch_peer.py, same ops and sizes). Prints one CSV line per op:
 * op,shape,ms_per_call,rate. Not a test: timings are reported, never asserted.
 */
public final class GpuBench {
    private GpuBench() { }

    interface Op { void run(); }

    static double time(CudaBackend b, Op op) {
        for (int i = 0; i < 3; i++) op.run();
        b.synchronize();
        int reps = 0;
        long t0 = System.nanoTime(), t;
        do {
            op.run();
            reps++;
            if (reps % 5 == 0) b.synchronize();
            t = System.nanoTime();
        } while (t - t0 < 1_000_000_000L || reps % 5 != 0);
        b.synchronize();
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    public static void main(String[] args) {
        BackendStatus st = CudaProbe.status();
        if (!st.available()) {
            System.err.println("GpuBench: CUDA unavailable: " + st.reason());
            System.exit(3);
        }
        try (CudaBackend b = new CudaBackend()) {
            System.out.println("# " + b.description());
            System.out.println("op,shape,ms_per_call,rate");
            int n = 4096;
            try (Tensor x = b.zeros(n, n); Tensor y = b.zeros(n, n); Tensor c = b.zeros(n, n)) {
                b.fill(x, 0.01f);
                b.fill(y, 0.02f);
                double ms = time(b, () -> b.matmul(false, true, 1f, x, y, 0f, c));
                System.out.printf("sgemm_nt,%dx%dx%d,%.4f,%.1f TFLOP/s%n", n, n, n, ms, 2.0 * n * n * n / ms / 1e9);
            }
            int rows = 8192, cols = 4096;
            try (Tensor z = b.zeros(rows, cols); Tensor bias = b.zeros(cols); Tensor out = b.zeros(rows, cols)) {
                for (Activation a : new Activation[]{Activation.GELU, Activation.RADIAL_TANH}) {
                    double ms = time(b, () -> b.biasActForward(z, bias, a, 0f, null, out));
                    System.out.printf("bias_act_%s,%dx%d,%.4f,%.0f GB/s%n", a.cliName(), rows, cols, ms, 12.0 * rows * cols / ms / 1e6);
                }
                try (Tensor mean = b.zeros(rows); Tensor rstd = b.zeros(rows)) {
                    double ms = time(b, () -> b.layerNormForward(z, null, null, 1e-5f, out, mean, rstd));
                    System.out.printf("layernorm_fwd,%dx%d,%.4f,%.0f GB/s%n", rows, cols, ms, 8.0 * rows * cols / ms / 1e6);
                }
            }
            int params = 64 << 20;
            try (Tensor p = b.zeros(params); Tensor g = b.zeros(params); Tensor m = b.zeros(params); Tensor v = b.zeros(params)) {
                double ms = time(b, () -> b.adamwUpdate(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 1, 1f));
                System.out.printf("adamw,%d,%.4f,%.0f GB/s%n", params, ms, 28.0 * params / ms / 1e6);
            }
            try (Tensor vecs = b.zeros(32, 14336); Tensor out = b.zeros(31)) {
                double ms = time(b, () -> b.adjacentAbsCos(vecs, out));
                System.out.printf("adjacent_abs_cos,32x14336,%.4f,%.0f GB/s%n", ms, 8.0 * 31 * 14336 / ms / 1e6);
            }
        }
    }
}
