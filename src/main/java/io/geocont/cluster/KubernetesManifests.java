package io.geocont.cluster;

import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep as Kubernetes Jobs: {@code sweep-job.yaml}, an Indexed Job whose pod k runs shard k+1
 * (JOB_COMPLETION_INDEX with GEOCONT_SHARD_COUNT), and {@code merge-job.yaml}, to apply once it
 * completed (Kubernetes has no afterok). A pod that stops on SIGTERM exits 75 with its checkpoint
 * written; the podFailurePolicy ignores that exit and evictions, so the replacement pod resumes.
 */
public final class KubernetesManifests {
    public static final String SWEEP = "sweep-job.yaml", MERGE = "merge-job.yaml";

    private KubernetesManifests() { }

    public static List<Path> write(SweepJob job, KubernetesOptions o, Path dir) throws IOException {
        Path sweep = dir.resolve(SWEEP), merge = dir.resolve(MERGE);
        AtomicFiles.writeString(sweep, header(job, "Indexed Job: pod k trains shard k+1 of " + job.shards()) + Yaml.write(sweepJob(job, o)));
        AtomicFiles.writeString(merge, header(job, "merge job: apply after " + job.name() + " completed") + Yaml.write(mergeJob(job, o)));
        return List.of(sweep, merge);
    }

    private static String header(SweepJob job, String what) {
        return "# geocont sweep on Kubernetes, " + what + ". Run:\n"
                + "#   kubectl apply -f " + SWEEP + " && kubectl wait --for=condition=complete --timeout=-1s job/" + job.name()
                + " && kubectl apply -f " + MERGE + "\n"
                + "# Results on the volume: " + job.out() + "/shards/<k+1> per pod, merged into " + job.out() + ".\n";
    }

    static Map<String, Object> sweepJob(SweepJob job, KubernetesOptions o) {
        List<String> args = new ArrayList<>(List.of("sweep", "--shard", "auto"));
        args.addAll(job.gridArgs());
        args.addAll(job.taskArgs());
        args.addAll(List.of("--out", ShardLayout.outPattern(job.out())));
        Map<String, Object> container = container(job, o, "sweep", job.geocont(), args, true);
        container.put("env", List.of(map("name", ShardResolver.COUNT_VAR, "value", Integer.toString(job.shards()))));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("completionMode", "Indexed");
        spec.put("completions", job.shards());
        spec.put("parallelism", o.parallelism() != null ? Math.min(o.parallelism(), job.shards()) : job.shards());
        spec.put("backoffLimit", o.retries());
        spec.put("podFailurePolicy", map("rules", List.of(
                map("action", "Ignore", "onExitCodes", map("containerName", "sweep", "operator", "In",
                        "values", List.of(StopSignals.EXIT_STOPPED))),
                map("action", "Ignore", "onPodConditions", List.of(map("type", "DisruptionTarget"))))));
        spec.put("template", template(job, o, container));
        return job(job.name(), o, spec);
    }

    static Map<String, Object> mergeJob(SweepJob job, KubernetesOptions o) {
        List<String> status = new ArrayList<>(List.of("cluster", "status"));
        status.addAll(job.gridArgs());
        status.addAll(List.of("--shards", Integer.toString(job.shards()), "--out", job.out().toString()));
        List<String> merge = new ArrayList<>(List.of("sweep"));
        merge.addAll(job.gridArgs());
        merge.addAll(List.of("--out", job.out().toString(), "--merge"));
        String geocont = Shell.join(job.geocont());
        String script = "set -e; " + geocont + " " + Shell.join(status) + "; " + geocont + " " + Shell.join(merge) + " "
                + Shell.quote(job.out().toString()) + "/shards/*/";
        Map<String, Object> container = container(job, o, "merge", List.of("/bin/sh", "-c"), List.of(script), false);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("backoffLimit", 1);
        spec.put("template", template(job, o, container));
        return job(job.name() + "-merge", o, spec);
    }

    private static Map<String, Object> job(String name, KubernetesOptions o, Map<String, Object> spec) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        if (o.namespace() != null) meta.put("namespace", o.namespace());
        meta.put("labels", map("app.kubernetes.io/name", "geocont", "geocont/sweep", nameLabel(name)));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "batch/v1");
        doc.put("kind", "Job");
        doc.put("metadata", meta);
        doc.put("spec", spec);
        return doc;
    }

    private static String nameLabel(String name) {
        return name.length() <= 63 ? name : name.substring(0, 63);
    }

    private static Map<String, Object> template(SweepJob job, KubernetesOptions o, Map<String, Object> container) {
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("restartPolicy", "Never");
        pod.put("terminationGracePeriodSeconds", o.gracePeriod());
        if (o.serviceAccount() != null) pod.put("serviceAccountName", o.serviceAccount());
        pod.put("containers", List.of(container));
        pod.put("volumes", List.of(map("name", "results", "persistentVolumeClaim", map("claimName", o.claim()))));
        return map("metadata", map("labels", map("app.kubernetes.io/name", "geocont")), "spec", pod);
    }

    private static Map<String, Object> container(SweepJob job, KubernetesOptions o, String name, List<String> command,
                                                 List<String> args, boolean training) {
        if (!job.out().startsWith(Path.of(o.mountPath())))
            throw new IllegalArgumentException("--out " + job.out() + " must lie on the results volume mounted at " + o.mountPath()
                    + " (e.g. --out " + Path.of(o.mountPath()).resolve("mlp-sweep") + ")");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("image", o.image());
        c.put("command", List.copyOf(command));
        c.put("args", List.copyOf(args));
        Map<String, Object> requests = new LinkedHashMap<>(), limits = new LinkedHashMap<>();
        if (o.cpu() != null) requests.put("cpu", o.cpu());
        if (o.memory() != null) { requests.put("memory", o.memory()); limits.put("memory", o.memory()); }
        if (training && o.gpus() > 0) limits.put("nvidia.com/gpu", o.gpus());
        Map<String, Object> res = new LinkedHashMap<>();
        if (!requests.isEmpty()) res.put("requests", requests);
        if (!limits.isEmpty()) res.put("limits", limits);
        if (!res.isEmpty()) c.put("resources", res);
        c.put("volumeMounts", List.of(map("name", "results", "mountPath", o.mountPath())));
        return c;
    }

    /** An ordered map from alternating keys and values. */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
