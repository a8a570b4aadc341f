package io.geocont.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code geocont cluster}: job scripts for a sharded sweep on Slurm or Kubernetes, and where such a sweep stands. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        subcommands = {ClusterSlurmCommand.class, ClusterKubernetesCommand.class, ClusterStatusCommand.class},
        description = {"Run the MLP grid on a cluster: write a Slurm array + merge job (slurm) or Kubernetes Indexed Job "
                + "manifests (kubernetes), and list the shards and runs that are missing or failed (status)."})
public final class ClusterCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }
}
