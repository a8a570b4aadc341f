/*
 * How the end-to-end top-1 solve of one tensor (read included) speeds up over a fresh JVM's first
 * solves: prints solve 1, 2, 4, 8, ... and the best so far, to see when the JIT has reached steady
 * state (TopKPeer's warm-up must get there). Compile and run as OneMatrix:
 *
 *   J=/usr/lib/jvm/temurin-25-jdk-amd64/bin; BJ=benchmarks/target/benchmarks.jar
 *   $J/javac -cp $BJ -d /tmp/om benchmarks/topk/Timeline.java
 *   $J/java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=2 -cp $BJ:/tmp/om \
 *       Timeline benchmarks/target/families/powerlaw.safetensors powerlaw.1 2000
 */
import io.geocont.linalg.svd.Svds;
import io.geocont.io.checkpoint.SafetensorsStore;
import java.nio.file.Path;
import java.util.*;
public class Timeline {
    public static void main(String[] args) throws Exception {
        try (SafetensorsStore store = SafetensorsStore.open(Path.of(args[0]))) {
            int n = Integer.parseInt(args[2]);
            long t00 = System.nanoTime();
            StringBuilder sb = new StringBuilder();
            double best = 1e9;
            for (int i = 1; i <= n; i++) {
                long t0 = System.nanoTime();
                Svds.topK(1).decompose(store.readOperand(args[1]));
                double ms = (System.nanoTime() - t0) / 1e6;
                best = Math.min(best, ms);
                if (Integer.bitCount(i) == 1 || i == n) sb.append(String.format("#%d %.1f ms (best so far %.1f, at %.1f s)%n", i, ms, best, (System.nanoTime() - t00) / 1e9));
            }
            System.out.print(sb);
        }
    }
}
