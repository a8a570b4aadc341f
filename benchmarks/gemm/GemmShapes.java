import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Per-shape GEMM speed of the CPU backend at the shapes a quick MLP step and a quick transformer
 * step run, on 1 and 2 threads, plus the cost of a trivial 2-chunk Parallel.forRange after the
 * pool idled 2 ms and back to back. Each argument {@code name=classes-dir} loads one build of
 * geocont in its own class loader (its own pool); samples of every build and thread count
 * alternate (SAMPLE_MS each), so all of them see the same load from other jobs on a shared machine,
 * and a 2 ms pause between builds lets a build's spinning workers retire first. Run by
 * benchmarks/gemm-shapes.sh; prints one JSON line per figure.
 *
 *   java --add-modules jdk.incubator.vector benchmarks/gemm/GemmShapes.java REPS new=target/classes [old=...]
 */
public class GemmShapes {
    /** name, transA, transB, m, n, k: the MLP's and the transformer's GEMMs (see gemm_shapes.py). */
    static final Object[][] SHAPES = {
            {"mlp fwd NT", false, true, 128, 128, 128},
            {"mlp in NT", false, true, 128, 128, 784},
            {"mlp wgrad TN", true, false, 128, 128, 128},
            {"mlp in-wgrad TN", true, false, 128, 784, 128},
            {"mlp dgrad NN", false, false, 128, 128, 128},
            {"tf qkvo NT", false, true, 2048, 128, 128},
            {"tf gate/up NT", false, true, 2048, 512, 128},
            {"tf down NT", false, true, 2048, 128, 512},
            {"tf head NT", false, true, 2048, 256, 128},
            {"tf wgrad d TN", true, false, 128, 128, 2048},
            {"tf wgrad gate TN", true, false, 512, 128, 2048},
            {"tf wgrad down TN", true, false, 128, 512, 2048},
            {"tf dgrad d NN", false, false, 2048, 128, 128},
            {"tf dgrad ff NN", false, false, 2048, 128, 512},
            {"tf dgrad down NN", false, false, 2048, 512, 128},
    };

    /** One build of geocont, reached by reflection through its own class loader. */
    record Build(String name, Constructor<?> backend, Method fromArray, Method zeros, Method gemm, Method forRange, Class<?> body) {
        static Build load(String spec) throws Exception {
            String[] nv = spec.split("=", 2);
            ClassLoader cl = new URLClassLoader(new URL[]{Path.of(nv[1]).toAbsolutePath().toUri().toURL()}, GemmShapes.class.getClassLoader());
            Class<?> cpu = cl.loadClass("io.geocont.backend.cpu.CpuBackend"), tensor = cl.loadClass("io.geocont.backend.Tensor");
            Class<?> par = cl.loadClass("io.geocont.linalg.Parallel"), body = cl.loadClass("io.geocont.linalg.Parallel$RangeBody");
            return new Build(nv[0], cpu.getConstructor(int.class), cpu.getMethod("fromArray", float[].class, int[].class),
                    cpu.getMethod("zeros", int[].class),
                    cpu.getMethod("gemm", boolean.class, boolean.class, int.class, int.class, int.class, float.class,
                            tensor, long.class, int.class, tensor, long.class, int.class, float.class, tensor, long.class, int.class),
                    par.getMethod("forRange", int.class, int.class, int.class, body), body);
        }
    }

    /**
     * Milliseconds per sample (-Dsample.ms, default 5): short samples and many of them let the
     * best one find the moments a loaded machine gives both cores.
     */
    static final double SAMPLE_MS = Double.parseDouble(System.getProperty("sample.ms", "5"));

    public static void main(String[] args) throws Throwable {
        int reps = Integer.parseInt(args[0]);
        List<Build> builds = new ArrayList<>();
        for (int i = 1; i < args.length; i++) builds.add(Build.load(args[i]));
        for (Build b : builds) wake(b, reps);
        Random rnd = new Random(1);
        for (Object[] s : SHAPES) {
            boolean ta = (Boolean) s[1], tb = (Boolean) s[2];
            int m = (Integer) s[3], n = (Integer) s[4], k = (Integer) s[5];
            int lda = ta ? m : k, ldb = tb ? k : n;
            float[] av = rand(rnd, m * k), bv = rand(rnd, n * k);
            int runs = builds.size() * 2;
            Object[] be = new Object[runs], a = new Object[runs], b = new Object[runs], c = new Object[runs];
            for (int r = 0; r < runs; r++) {
                Build bd = builds.get(r / 2);
                be[r] = bd.backend.newInstance(r % 2 + 1);
                a[r] = bd.fromArray.invoke(be[r], av, new int[]{av.length});
                b[r] = bd.fromArray.invoke(be[r], bv, new int[]{bv.length});
                c[r] = bd.zeros.invoke(be[r], new int[]{m * n});
            }
            double flops = 2.0 * m * n * k;
            int inner = (int) Math.max(1, Math.min(2000, SAMPLE_MS * 1e6 / (flops / 100)));   // SAMPLE_MS per sample at 100 GFLOP/s
            double[][] us = new double[runs][reps];
            for (int rep = -3; rep < reps; rep++)   // 3 warm-up samples
                for (int r = 0; r < runs; r++) {
                    if (r % 2 == 0 && builds.size() > 1) Thread.sleep(2);
                    Method g = builds.get(r / 2).gemm;
                    long t0 = System.nanoTime();
                    for (int w = 0; w < inner; w++) g.invoke(be[r], ta, tb, m, n, k, 1f, a[r], 0L, lda, b[r], 0L, ldb, 0f, c[r], 0L, n);
                    if (rep >= 0) us[r][rep] = (System.nanoTime() - t0) / 1e3 / inner;
                }
            for (int r = 0; r < runs; r++) {
                Arrays.sort(us[r]);
                System.out.printf("{\"impl\":\"geocont-%s\",\"shape\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":%d,"
                                + "\"best_us\":%.1f,\"median_us\":%.1f,\"gflops_best\":%.1f,\"gflops_median\":%.1f}%n",
                        builds.get(r / 2).name, s[0], m, n, k, r % 2 + 1, us[r][0], us[r][reps / 2],
                        flops / us[r][0] / 1e3, flops / us[r][reps / 2] / 1e3);
            }
        }
    }

    /** A trivial 2-chunk forRange after the pool idled 2 ms, and back to back. */
    static void wake(Build b, int reps) throws Throwable {
        int[] sink = new int[64];
        Object body = java.lang.reflect.Proxy.newProxyInstance(b.body.getClassLoader(), new Class<?>[]{b.body},
                (proxy, method, margs) -> {
                    if (!method.getName().equals("run")) return method.invoke(sink, margs);
                    sink[(Integer) margs[0] * 16 / Math.max(1, (Integer) margs[1])]++;
                    return null;
                });
        for (int w = 0; w < 2000; w++) b.forRange.invoke(null, 2, 1, 2, body);
        double[] idle = new double[reps], hot = new double[reps];
        for (int r = 0; r < reps; r++) {
            Thread.sleep(2);
            long t0 = System.nanoTime();
            b.forRange.invoke(null, 2, 1, 2, body);
            idle[r] = (System.nanoTime() - t0) / 1e3;
            t0 = System.nanoTime();
            for (int w = 0; w < 1000; w++) b.forRange.invoke(null, 2, 1, 2, body);
            hot[r] = (System.nanoTime() - t0) / 1e3 / 1000;
        }
        Arrays.sort(idle);
        Arrays.sort(hot);
        System.out.printf("{\"impl\":\"geocont-%s\",\"shape\":\"forRange(2) after 2 ms idle\",\"best_us\":%.1f,\"median_us\":%.1f}%n", b.name, idle[0], idle[reps / 2]);
        System.out.printf("{\"impl\":\"geocont-%s\",\"shape\":\"forRange(2) back to back\",\"best_us\":%.2f,\"median_us\":%.2f}%n", b.name, hot[0], hot[reps / 2]);
    }

    static float[] rand(Random rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = rnd.nextFloat() - 0.5f;
        return x;
    }
}
