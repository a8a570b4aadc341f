package io.geocont.arch;

import io.geocont.analysis.AnalysisResult;
import io.geocont.analysis.StackAnalyzer;
import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.backend.Tensor;
import io.geocont.io.checkpoint.Checkpoint;
import io.geocont.linalg.Matrix;
import io.geocont.linalg.svd.Svds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a library user's program does, run by {@link LibraryClasspathTest} in a JVM that has only
 * geocont's classes and its non-optional dependencies: read a safetensors checkpoint (io), measure
 * its continuity (analysis over the linalg core), decompose a matrix (Svds) and multiply on the
 * CPU backend. It prints its results and nothing else; it uses no test library.
 */
final class LibraryProbe {
    private LibraryProbe() { }

    public static void main(String[] args) throws IOException {
        for (String line : results(Path.of(args[0]))) System.out.println(line);
    }

    /** The same lines in this JVM and in the child one (the test compares them). */
    static List<String> results(Path checkpoint) throws IOException {
        List<String> out = new ArrayList<>();
        try (Checkpoint c = Checkpoint.open(checkpoint)) {
            StackAnalyzer.Model model = new StackAnalyzer.Model(c.name(), c.store().describe(),
                    c.architecture().family().name(), c.layers());
            AnalysisResult r = new StackAnalyzer(Svds.exact(), "exact", 1, null).analyze(model, 0, c.layers(), c.stacks(0, c.layers()));
            for (AnalysisResult.ProjectionResult p : r.projections().values())
                out.add(String.format(Locale.ROOT, "%s %dx%d v1 %.6f u1 %.6f", p.projection(), p.rows(), p.cols(), p.v1Mean(), p.u1Mean()));
        }
        float[] a = new float[6 * 4];
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.sin(i + 1.0);
        out.add(String.format(Locale.ROOT, "s1 %.6f", Svds.s1(new Matrix(6, 4, a))));
        try (Backend be = Backends.open("cpu", null);
             Tensor x = be.fromArray(a, 6, 4); Tensor g = be.zeros(4, 4)) {
            be.matmul(true, false, 1f, x, x, 0f, g);
            out.add(String.format(Locale.ROOT, "gram trace %.4f", g.toArray()[0] + g.toArray()[5] + g.toArray()[10] + g.toArray()[15]));
        }
        return out;
    }
}
