package io.geocont.cluster;

/**
 * The Kubernetes side of a sweep: the image, the volume that holds the results (a
 * PersistentVolumeClaim mounted at {@code mountPath} in every pod), the pods' resources and how
 * many run at once. Null = not set.
 *
 * @param gracePeriod seconds between SIGTERM and SIGKILL when a pod is evicted or preempted
 * @param retries     pod failures (other than "stopped, exit 75" and evictions) tolerated
 */
public record KubernetesOptions(String image, String claim, String mountPath, String namespace, Integer parallelism,
                                String cpu, String memory, int gpus, int gracePeriod, int retries, String serviceAccount) {
    private static final String DNS = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";

    public KubernetesOptions {
        if (image == null || image.isBlank()) throw new IllegalArgumentException("--image is required (a container image with geocont and JDK 25)");
        Shell.oneLine("--image", image);
        if (image.contains(" ")) throw new IllegalArgumentException("--image '" + image + "' holds a space");
        if (claim == null || !claim.matches(DNS))
            throw new IllegalArgumentException("--pvc '" + claim + "' must name a PersistentVolumeClaim (lower case, digits, '-', '.')");
        if (mountPath == null || !mountPath.startsWith("/")) throw new IllegalArgumentException("--mount must be an absolute path, got " + mountPath);
        if (namespace != null && !namespace.matches(DNS)) throw new IllegalArgumentException("--namespace '" + namespace + "' is not a valid name");
        if (serviceAccount != null && !serviceAccount.matches(DNS)) throw new IllegalArgumentException("--service-account '" + serviceAccount + "' is not a valid name");
        if (parallelism != null && parallelism < 1) throw new IllegalArgumentException("--parallelism must be >= 1, got " + parallelism);
        if (cpu != null && !cpu.matches("\\d+(\\.\\d+)?|\\d+m")) throw new IllegalArgumentException("--cpu '" + cpu + "' must look like 2, 0.5 or 500m");
        if (memory != null && !memory.matches("\\d+(Ki|Mi|Gi|Ti|k|M|G|T)?")) throw new IllegalArgumentException("--memory '" + memory + "' must look like 4Gi or 512Mi");
        if (gpus < 0) throw new IllegalArgumentException("--gpus must be >= 0, got " + gpus);
        if (gracePeriod < 1) throw new IllegalArgumentException("--grace-period must be >= 1 s, got " + gracePeriod);
        if (retries < 0) throw new IllegalArgumentException("--retries must be >= 0, got " + retries);
    }
}
