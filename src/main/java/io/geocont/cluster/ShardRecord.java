package io.geocont.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocont.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code shard.json} in a shard's output folder: what the task that ran it last said about it
 * (running, done, stopped on a signal, failed with a message), where it ran, and its runs. A task
 * killed outright (SIGKILL, out of memory, node lost) leaves "running" behind; {@code updated}
 * tells how old that is.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShardRecord(
        @JsonProperty("shard") String shard,
        @JsonProperty("state") String state,
        @JsonProperty("exit_code") Integer exitCode,
        @JsonProperty("message") String message,
        @JsonProperty("source") String source,
        @JsonProperty("where") String where,
        @JsonProperty("started") String started,
        @JsonProperty("updated") String updated,
        @JsonProperty("runs") List<String> runs) {

    public static final String FILE = "shard.json";
    public static final String RUNNING = "running", DONE = "done", STOPPED = "stopped", FAILED = "failed";

    /** A task starting shard {@code shard} now; {@code where} names the job and host from the environment. */
    public static ShardRecord starting(String shard, String source, List<String> runs, Map<String, String> env) {
        String now = Instant.now().toString();
        return new ShardRecord(shard, RUNNING, null, null, source, where(env), now, now, List.copyOf(runs));
    }

    public ShardRecord with(String newState, Integer exit, String msg) {
        return new ShardRecord(shard, newState, exit, msg, source, where, started, Instant.now().toString(), runs);
    }

    public void write(Path shardDir) throws IOException {
        AtomicFiles.writeJson(shardDir.resolve(FILE), this);
    }

    /** The record in {@code shardDir}, or null when there is none. */
    public static ShardRecord read(Path shardDir) throws IOException {
        Path f = shardDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        try {
            return AtomicFiles.json().readValue(f.toFile(), ShardRecord.class);
        } catch (IOException e) {
            throw new IOException(f + ": not a readable shard record (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    /** "Slurm job 812_3 on node7", "pod sweep-2-x7f" or the host name. */
    static String where(Map<String, String> env) {
        String host = env.getOrDefault("SLURMD_NODENAME", env.getOrDefault("HOSTNAME", hostName()));
        if (env.containsKey("SLURM_ARRAY_JOB_ID"))
            return "Slurm job " + env.get("SLURM_ARRAY_JOB_ID") + "_" + env.getOrDefault("SLURM_ARRAY_TASK_ID", "?")
                    + " (id " + env.getOrDefault("SLURM_JOB_ID", "?") + ", restart " + env.getOrDefault("SLURM_RESTART_COUNT", "0")
                    + ") on " + host;
        if (env.containsKey("SLURM_JOB_ID")) return "Slurm job " + env.get("SLURM_JOB_ID") + " on " + host;
        if (env.containsKey("JOB_COMPLETION_INDEX")) return "Kubernetes pod " + host;
        return host;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }
}
