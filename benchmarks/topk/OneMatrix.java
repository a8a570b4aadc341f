/*
 * Best end-to-end top-1 solve of one tensor of a safetensors file (read included, as TopKPeer times
 * it), repeated for a number of seconds: for A/B runs of two builds, alternating. Prepend the
 * build's classes to the benchmarks jar to choose it:
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin; BJ=benchmarks/target/benchmarks.jar
 *   $J/javac -cp $BJ -d /tmp/om benchmarks/topk/OneMatrix.java
 *   $J/java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=2 -cp <classes>:$BJ:/tmp/om \
 *       OneMatrix benchmarks/target/families/gaussf32.safetensors gaussf32.1 12
 */
import io.geocont.linalg.*;
import io.geocont.linalg.svd.Svds;
import io.geocont.io.checkpoint.SafetensorsStore;
import java.nio.file.Path;
import java.util.*;
public class OneMatrix {
    public static void main(String[] args) throws Exception {
        try (SafetensorsStore store = SafetensorsStore.open(Path.of(args[0]))) {
            double secs = Double.parseDouble(args[2]);
            long t00 = System.nanoTime();
            List<Double> ms = new ArrayList<>();
            while (System.nanoTime() - t00 < secs * 1e9) {
                long t0 = System.nanoTime();
                Svds.topK(1).decompose(store.readOperand(args[1]));
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            List<Double> late = new ArrayList<>(ms.subList(ms.size() / 2, ms.size())); // the second half: past the JIT
            Collections.sort(late);
            System.out.printf("%s: %d solves, best %.3f ms, median of the second half %.3f ms%n",
                    args[1], ms.size(), Collections.min(ms), late.get(late.size() / 2));
        }
    }
}
