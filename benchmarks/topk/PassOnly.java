/*
 * Wall time of one fused A^T (A x) pass (applyGram) over a tensor of a safetensors file, read in
 * place as `geocont analyze` reads it (bf16/f16/f32 in their stored width): for `secs` seconds
 * per block size, best / p25 / median of the second half of the calls. z0 (the first entry of
 * the first result) lets A/B runs of two builds check they computed the same bits. Run it under
 * -XX:TieredStopAtLevel=1 / =3 or -Xint to see the kernels before C2 (RESULTS.md "The whole
 * command against the same job scripted in Python").
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin; BJ=benchmarks/target/benchmarks.jar
 *   $J/javac -cp $BJ -d /tmp/po benchmarks/topk/PassOnly.java
 *   $J/java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=2 -cp $BJ:/tmp/po \
 *       PassOnly benchmarks/target/families/gauss.safetensors gauss.1 3 [maxVectors=2] [minVectors=1]
 */
import io.geocont.linalg.*;
import io.geocont.io.checkpoint.SafetensorsStore;
import java.nio.file.Path;
import java.util.*;
public class PassOnly {
    public static void main(String[] args) throws Exception {
        try (SafetensorsStore store = SafetensorsStore.open(Path.of(args[0]))) {
            GramOperator a = store.readOperand(args[1]);
            double secs = Double.parseDouble(args[2]);
            Random rnd = new Random(1);
            int bmax = args.length > 3 ? Integer.parseInt(args[3]) : 2, bmin = args.length > 4 ? Integer.parseInt(args[4]) : 1;
            for (int b = bmin; b <= bmax; b++) {
                float[][] x = new float[b][a.cols()]; double[][] y = new double[b][a.rows()], z = new double[b][a.cols()];
                for (float[] v : x) for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
                List<Double> us = new ArrayList<>();
                long t00 = System.nanoTime();
                while (System.nanoTime() - t00 < secs * 1e9) {
                    long t0 = System.nanoTime();
                    a.applyGram(x, y, z);
                    us.add((System.nanoTime() - t0) / 1e3);
                }
                List<Double> late = new ArrayList<>(us.subList(us.size() / 2, us.size()));
                Collections.sort(late);
                System.out.printf("%s b=%d: %d passes, best %.0f us, p25 %.0f, median %.0f us  z0=%.6e%n", args[1], b, us.size(), late.get(0), late.get(late.size()/4), late.get(late.size() / 2), z[0][0]);
            }
        }
    }
}
