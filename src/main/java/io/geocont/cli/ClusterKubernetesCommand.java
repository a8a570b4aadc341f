package io.geocont.cli;

import io.geocont.cluster.KubernetesManifests;
import io.geocont.cluster.KubernetesOptions;
import io.geocont.cluster.SweepJob;
import io.geocont.experiments.MlpGrid;
import io.geocont.experiments.VariantNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code geocont cluster kubernetes}: an Indexed Job manifest for the grid and the merge Job to apply after it. */
@Command(name = "kubernetes", aliases = "k8s", mixinStandardHelpOptions = true,
        description = {"Write a Kubernetes Indexed Job manifest for the MLP grid and its merge Job.",
                "Into --manifest-dir: sweep-job.yaml (pod k = shard k+1; a pod stopped by SIGTERM exits 75 with its checkpoint "
                        + "and is replaced, not counted as failed) and merge-job.yaml (apply once the sweep job completed). "
                        + "--out is a path on the --pvc volume."})
public final class ClusterKubernetesCommand implements Callable<Integer> {
    @Mixin GridOptions grid;
    @Mixin BackendOption backendOption;

    @Option(names = "--shards", paramLabel = "N", description = "Completions = pods (default: one per run of the grid).")
    Integer shards;
    @Option(names = "--image", required = true, description = "Container image with geocont and a JDK 25.")
    String image;
    @Option(names = "--pvc", required = true, paramLabel = "CLAIM", description = "PersistentVolumeClaim that holds the results (ReadWriteMany).")
    String claim;
    @Option(names = "--mount", defaultValue = "/results", description = "Where the claim is mounted in the pods (default: ${DEFAULT-VALUE}).")
    String mount;
    @Option(names = "--namespace", description = "metadata.namespace.")
    String namespace;
    @Option(names = "--job-name", description = "Job name (default: geocont-<out folder name>).")
    String jobName;
    @Option(names = "--parallelism", description = "Pods at once (default: all).")
    Integer parallelism;
    @Option(names = "--cpu", description = "CPU request per pod (e.g. 4 or 500m).")
    String cpu;
    @Option(names = "--memory", description = "Memory request and limit per pod (e.g. 8Gi).")
    String memory;
    @Option(names = "--gpus", defaultValue = "0", description = "nvidia.com/gpu per pod (default: ${DEFAULT-VALUE}).")
    int gpus;
    @Option(names = "--grace-period", defaultValue = "120", paramLabel = "SECONDS",
            description = "terminationGracePeriodSeconds: time to checkpoint after SIGTERM (default: ${DEFAULT-VALUE}).")
    int grace;
    @Option(names = "--retries", defaultValue = "3", description = "backoffLimit: real pod failures tolerated (default: ${DEFAULT-VALUE}).")
    int retries;
    @Option(names = "--service-account", description = "serviceAccountName of the pods.")
    String serviceAccount;
    @Option(names = "--geocont", paramLabel = "CMD", defaultValue = "geocont", description = "The command in the image (default: ${DEFAULT-VALUE}).")
    String geocont;
    @Option(names = "--manifest-dir", paramLabel = "DIR", defaultValue = ".", description = "Where to write the manifests (default: the current folder).")
    Path dir;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws Exception {
        KubernetesOptions o = new KubernetesOptions(image, claim, mount, namespace, parallelism, cpu, memory, gpus, grace, retries, serviceAccount);
        MlpGrid g = grid.grid(VariantNames.DEFAULT);
        int runs = g.specs().size();
        Path mountPath = Path.of(mount);
        Path out = mountPath.resolve(grid.out()).normalize(); // a relative --out (or the default) lands on the volume
        SweepJob job = new SweepJob(jobName != null ? jobName.toLowerCase(java.util.Locale.ROOT) : JobArgs.kubernetesJobName(out),
                JobArgs.geocont(geocont), JobArgs.given(spec, "grid", Set.of("--out")), JobArgs.given(spec, "backendOption", Set.of()),
                out, shards != null ? shards : runs, runs, mountPath);
        if (!job.name().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || job.name().length() > 57)
            throw new IllegalArgumentException("job name '" + job.name() + "' must be lower case letters, digits and '-', at most 57"
                    + " characters (Kubernetes allows 63 and the merge job adds '-merge')");
        List<Path> files = KubernetesManifests.write(job, o, dir);
        System.out.printf("wrote %s and %s: %d pods (Indexed Job) for %d runs%n", files.get(0), files.get(1), job.shards(), runs);
        System.out.println("run:  kubectl apply -f " + files.get(0) + " && kubectl wait --for=condition=complete --timeout=-1s job/"
                + job.name() + " && kubectl apply -f " + files.get(1));
        return 0;
    }
}
