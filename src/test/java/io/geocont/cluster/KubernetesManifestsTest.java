package io.geocont.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Kubernetes manifests, read back with a real YAML parser: an Indexed Job whose pods resolve
 * their shard from JOB_COMPLETION_INDEX and GEOCONT_SHARD_COUNT, whose exit 75 and evictions do
 * not count as failures, on the results volume; and the merge job.
 */
class KubernetesManifestsTest {
    @TempDir Path tmp;

    static SweepJob job() {
        return new SweepJob("geocont-mlp", List.of("geocont"), List.of("--scale", "paper", "--variants", "res-relu,res-none"),
                List.of("--backend", "cuda"), Path.of("/results/mlp-paper"), 3, 6, Path.of("/results"));
    }

    static KubernetesOptions options() {
        return new KubernetesOptions("ghcr.io/me/geocont:1", "geocont-results", "/results", "research", 2, "4", "16Gi", 1, 90, 5, null);
    }

    @SuppressWarnings("unchecked")
    static Object get(Object node, String path) {
        Object cur = node;
        for (String k : path.split("\\.")) cur = k.matches("\\d+") ? ((List<Object>) cur).get(Integer.parseInt(k)) : ((Map<String, Object>) cur).get(k);
        return cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Object node, String path) {
        return (Map<String, Object>) get(node, path);
    }

    @Test void indexedJobResolvesShardsAndSurvivesStops() throws Exception {
        List<Path> files = KubernetesManifests.write(job(), options(), tmp);
        String text = Files.readString(files.get(0));
        assertTrue(text.startsWith("# geocont sweep on Kubernetes"), text);
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(text);
        assertEquals("batch/v1", doc.get("apiVersion"));
        assertEquals("Job", doc.get("kind"));
        assertEquals("geocont-mlp", get(doc, "metadata.name"));
        assertEquals("research", get(doc, "metadata.namespace"));
        assertEquals("Indexed", get(doc, "spec.completionMode"));
        assertEquals(3, get(doc, "spec.completions"));
        assertEquals(2, get(doc, "spec.parallelism"));
        assertEquals(5, get(doc, "spec.backoffLimit"));
        assertEquals(Map.of("action", "Ignore", "onExitCodes", Map.of("containerName", "sweep", "operator", "In", "values", List.of(75))),
                get(doc, "spec.podFailurePolicy.rules.0"));
        assertEquals(Map.of("action", "Ignore", "onPodConditions", List.of(Map.of("type", "DisruptionTarget"))), get(doc, "spec.podFailurePolicy.rules.1"));
        assertEquals("Never", get(doc, "spec.template.spec.restartPolicy"), "podFailurePolicy needs restartPolicy Never");
        assertEquals(90, get(doc, "spec.template.spec.terminationGracePeriodSeconds"));
        Map<String, Object> c = at(doc, "spec.template.spec.containers.0");
        assertEquals("sweep", c.get("name"));
        assertEquals("ghcr.io/me/geocont:1", c.get("image"));
        assertEquals(List.of("geocont"), c.get("command"));
        assertEquals(List.of("sweep", "--shard", "auto", "--scale", "paper", "--variants", "res-relu,res-none", "--backend", "cuda",
                "--out", "/results/mlp-paper/shards/{shard}"), c.get("args"));
        assertEquals(List.of(Map.of("name", "GEOCONT_SHARD_COUNT", "value", "3")), c.get("env"), "the count as a string, as env values must be");
        assertEquals(Map.of("cpu", "4", "memory", "16Gi"), get(c, "resources.requests"));
        assertEquals(Map.of("memory", "16Gi", "nvidia.com/gpu", 1), get(c, "resources.limits"));
        assertEquals(List.of(Map.of("name", "results", "mountPath", "/results")), c.get("volumeMounts"));
        assertEquals("geocont-results", get(doc, "spec.template.spec.volumes.0.persistentVolumeClaim.claimName"));
    }

    @Test void mergeJobChecksThenMerges() throws Exception {
        List<Path> files = KubernetesManifests.write(job(), options(), tmp);
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(Files.readString(files.get(1)));
        assertEquals("geocont-mlp-merge", get(doc, "metadata.name"));
        assertNull(get(doc, "spec.completionMode"));
        Map<String, Object> c = at(doc, "spec.template.spec.containers.0");
        assertEquals(List.of("/bin/sh", "-c"), c.get("command"));
        @SuppressWarnings("unchecked") String script = ((List<String>) c.get("args")).get(0);
        assertEquals("set -e; geocont cluster status --scale paper --variants res-relu,res-none --shards 3 --out /results/mlp-paper; "
                + "geocont sweep --scale paper --variants res-relu,res-none --out /results/mlp-paper --merge /results/mlp-paper/shards/*/", script);
        assertFalse(at(c, "resources.limits").containsKey("nvidia.com/gpu"), "the merge needs no GPU");
    }

    @Test void yamlQuotesEverythingThatCouldChangeMeaning() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String s : new String[]{"yes", "no", "1", "0x10", "a: b", "#x", "- y", "null", "~", "it's \"q\"", "multi\nline", "{}", "*a", ""})
            m.put("k" + m.size(), s);
        m.put("n", 3);
        m.put("list", List.of(List.of("a", 1), Map.of("x", List.of()), Map.of()));
        m.put("we:ird key", true);
        Map<String, Object> back = new org.yaml.snakeyaml.Yaml().load(Yaml.write(m));
        assertEquals(m, back, Yaml.write(m));
    }

    @Test void badSettingsAreClearErrors() {
        assertTrue(bad(() -> new KubernetesOptions(null, "c", "/r", null, null, null, null, 0, 30, 3, null)).contains("--image is required"));
        assertTrue(bad(() -> new KubernetesOptions("img", "Bad_Claim", "/r", null, null, null, null, 0, 30, 3, null)).contains("--pvc"));
        assertTrue(bad(() -> new KubernetesOptions("img", "c", "rel", null, null, null, null, 0, 30, 3, null)).contains("--mount"));
        assertTrue(bad(() -> new KubernetesOptions("img", "c", "/r", null, null, "lots", null, 0, 30, 3, null)).contains("--cpu"));
        assertTrue(bad(() -> new KubernetesOptions("img", "c", "/r", null, null, null, "4GB", 0, 30, 3, null)).contains("--memory"));
        SweepJob offVolume = new SweepJob("x", List.of("geocont"), List.of(), List.of(), Path.of("/elsewhere/out"), 1, 2, Path.of("/"));
        assertTrue(bad(() -> KubernetesManifests.write(offVolume, options(), tmp)).contains("must lie on the results volume"));
    }

    static String bad(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
