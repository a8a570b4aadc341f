package io.geocont.linalg.svd;

import io.geocont.linalg.Matrix;
import io.geocont.linalg.SvdResult;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels on machines with narrower vectors than this one's (AVX2: 8 float lanes, or SSE/NEON
 * width: 4): a child JVM with -XX:MaxVectorSize=32 and =16 runs the top-k, Gram-eigen and exact
 * SVDs of fixed matrices, and its singular values and leading vectors agree with this JVM's
 * (other lane counts sum in another order, so agreement to rounding, not bits). Every kernel
 * written for AVX-512's 16 lanes runs its narrow-vector path here, which nothing else in the
 * build exercises on this machine.
 */
class NarrowVectorsTest {
    /** Run in the child: prints the lane count, then s1, s2 and |v1[0]| of each strategy. */
    public static void main(String[] args) {
        System.out.println("lanes " + FloatVector.SPECIES_PREFERRED.length());
        for (String line : results()) System.out.println(line);
    }

    static String[] results() {
        Matrix a = KnownSpectrum.gaussian(300, 200, new SplittableRandom(5)), small = KnownSpectrum.gaussian(64, 48, new SplittableRandom(6));
        SvdResult top = Svds.topK(2).decompose(a), gram = Svds.plan(Svds.Need.ALL_FAST, 0, 0, 0, null).svd().decompose(small),
                exact = Svds.exact().decompose(small);
        return new String[] {line("topk", top), line("gram", gram), line("exact", exact)};
    }

    private static String line(String name, SvdResult r) {
        StringBuilder b = new StringBuilder(name);
        for (int i = 0; i < Math.min(2, r.s().length); i++) b.append(String.format(Locale.ROOT, " %.12e", r.s()[i]));
        b.append(String.format(Locale.ROOT, " %.12e", Math.abs(r.v()[0][0])));
        return b.toString();
    }

    @Test void narrowerVectorsGiveTheSameAnswers() throws Exception {
        String[] here = results();
        int lanesHere = FloatVector.SPECIES_PREFERRED.length();
        for (int bytes : new int[] {32, 16}) {
            if (bytes / 4 >= lanesHere) continue; // not narrower than this machine
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "-XX:MaxVectorSize=" + bytes, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), NarrowVectorsTest.class.getName())
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "MaxVectorSize=" + bytes + ":\n" + out);
            String[] lines = out.lines().filter(l -> !l.startsWith("WARNING")).toArray(String[]::new);
            assertEquals("lanes " + bytes / 4, lines[0], "the child really ran on narrower vectors:\n" + out);
            for (int i = 0; i < here.length; i++) {
                String[] x = here[i].split(" "), y = lines[i + 1].split(" ");
                assertEquals(x[0], y[0]);
                for (int j = 1; j < x.length; j++)
                    assertEquals(Double.parseDouble(x[j]), Double.parseDouble(y[j]), 1e-6 * Math.abs(Double.parseDouble(x[j])),
                            x[0] + " value " + j + " with " + bytes / 4 + " lanes:\n" + out);
            }
        }
    }
}
