package io.geocont.cluster;

import io.geocont.experiments.Shard;
import io.geocont.train.MlpState;
import io.geocont.train.RunCheckpoint;
import io.geocont.train.MlpExperiment;
import io.geocont.train.PartialEpoch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a (sharded) sweep stands in its results folder: for every run of the grid, done (its
 * result.json in OUT or in its shard's folder), partway (a checkpoint: how far) or missing; for
 * every shard, what its task last recorded (shard.json: running, stopped, failed with a message,
 * done) and how many of its runs are done.
 */
public final class SweepStatus {
    public enum RunState { DONE, PARTIAL, MISSING }

    /** {@code merged}: done and already in OUT itself (not only in its shard's folder). */
    public record RunStatus(String runId, int shard, RunState state, boolean merged, String detail) { }

    public record ShardStatus(int index, String state, int done, int runs, String detail) {
        public boolean complete() { return done == runs; }
    }

    /** The whole picture; {@link #complete()} when every run of the grid is done. */
    public record Report(Path out, int shards, List<ShardStatus> shardList, List<RunStatus> runs) {
        public boolean complete() { return runs.stream().allMatch(r -> r.state() == RunState.DONE); }

        public long count(RunState s) { return runs.stream().filter(r -> r.state() == s).count(); }

        public List<RunStatus> unfinished() { return runs.stream().filter(r -> r.state() != RunState.DONE).toList(); }

        /** The shards a resubmission has to run again (1-based). */
        public List<Integer> unfinishedShards() { return shardList.stream().filter(s -> !s.complete()).map(ShardStatus::index).toList(); }
    }

    private SweepStatus() { }

    /**
     * @param runIds the grid's run ids in their canonical (sorted) order, as shards are cut
     * @param shards the shard count, or null to take it from the shard records (1 when there are none)
     */
    public static Report scan(Path out, List<String> runIds, Integer shards) throws IOException {
        if (!Files.isDirectory(out)) throw new java.nio.file.NoSuchFileException(out.toString(), null, "no results folder");
        Map<Integer, ShardRecord> records = records(out);
        int n = shards != null ? shards : shardCount(out, records);
        if (n < 1) throw new IllegalArgumentException("--shards must be >= 1, got " + n);
        for (Map.Entry<Integer, ShardRecord> e : records.entrySet()) {
            String want = e.getKey() + "/" + n;
            if (e.getKey() <= n && e.getValue().shard() != null && !e.getValue().shard().equals(want))
                throw new IllegalArgumentException(ShardLayout.shardDir(out, e.getKey()).resolve(ShardRecord.FILE) + " is shard "
                        + e.getValue().shard() + ", not " + want + " (another --shards count wrote this folder)");
        }
        List<RunStatus> runs = new ArrayList<>();
        for (int j = 0; j < runIds.size(); j++) {
            int shard = Shard.owner(j, n); // the sweep's own rule, so status and sweep cannot disagree
            runs.add(run(runIds.get(j), shard, out, n > 1 ? ShardLayout.shardDir(out, shard) : null));
        }
        List<ShardStatus> shardList = new ArrayList<>();
        if (n > 1) for (int i = 1; i <= n; i++) shardList.add(shard(out, i, n, records.get(i), runs));
        return new Report(out, n, shardList, runs);
    }

    private static Map<Integer, ShardRecord> records(Path out) throws IOException {
        Map<Integer, ShardRecord> m = new LinkedHashMap<>();
        Path dir = out.resolve(ShardLayout.SHARDS);
        if (!Files.isDirectory(dir)) return m;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.matches("[1-9]\\d{0,6}") || !Files.isDirectory(p)) continue;
                ShardRecord r = ShardRecord.read(p);
                if (r != null) m.put(Integer.parseInt(name), r);
            }
        }
        return m;
    }

    private static int shardCount(Path out, Map<Integer, ShardRecord> records) {
        Integer n = null;
        for (ShardRecord r : records.values()) {
            if (r.shard() == null) continue;
            int c = Shard.parse(r.shard()).count();
            if (n != null && n != c)
                throw new IllegalArgumentException(out.resolve(ShardLayout.SHARDS) + " holds shards of " + n + " and of " + c
                        + "; say which with --shards N");
            n = c;
        }
        return n == null ? 1 : n;
    }

    private static RunStatus run(String id, int shard, Path out, Path shardDir) throws IOException {
        Path merged = out.resolve(id);
        if (Files.isRegularFile(merged.resolve(MlpExperiment.RESULT))) return new RunStatus(id, shard, RunState.DONE, true, "in " + out);
        if (shardDir != null && Files.isRegularFile(shardDir.resolve(id).resolve(MlpExperiment.RESULT)))
            return new RunStatus(id, shard, RunState.DONE, false, "in " + shardDir);
        for (Path dir : shardDir == null ? List.of(merged) : List.of(shardDir.resolve(id), merged)) {
            Path ck = dir.resolve(MlpExperiment.CHECKPOINT);
            if (Files.isRegularFile(ck)) return new RunStatus(id, shard, RunState.PARTIAL, false, progress(ck));
        }
        return new RunStatus(id, shard, RunState.MISSING, false, "not started");
    }

    /** "epoch 3 of 10 done, stopped inside epoch 4 at step 41 of 79" from a checkpoint. */
    static String progress(Path ck) {
        try {
            MlpState s = RunCheckpoint.read(ck, MlpState.class).state();
            Object epochs = s.config() == null ? null : s.config().get("epochs");
            String text = "checkpoint: epoch " + s.epoch() + (epochs == null ? "" : " of " + epochs) + " done";
            PartialEpoch p = s.partial();
            if (p != null) text += ", stopped inside epoch " + p.epoch() + " at step " + (p.nextStep() + 1) + " of " + p.steps();
            return text;
        } catch (IOException | RuntimeException e) {
            return "unreadable checkpoint (" + e.getMessage() + ")";
        }
    }

    private static ShardStatus shard(Path out, int i, int n, ShardRecord r, List<RunStatus> runs) {
        List<RunStatus> mine = runs.stream().filter(x -> x.shard() == i).toList();
        int done = (int) mine.stream().filter(x -> x.state() == RunState.DONE).count();
        boolean allDone = done == mine.size();
        Path dir = ShardLayout.shardDir(out, i);
        if (r == null) {
            if (allDone) return new ShardStatus(i, "done", done, mine.size(), Files.isDirectory(dir) ? "" : "merged");
            return new ShardStatus(i, Files.isDirectory(dir) ? "unknown" : "not started", done, mine.size(),
                    Files.isDirectory(dir) ? "no " + ShardRecord.FILE + " in " + dir : "no folder " + dir);
        }
        String where = r.where() == null ? "" : r.where();
        String state = switch (r.state() == null ? "" : r.state()) {
            case ShardRecord.DONE -> allDone ? "done" : "incomplete";
            case ShardRecord.FAILED -> "FAILED";
            case ShardRecord.STOPPED -> "stopped";
            case ShardRecord.RUNNING -> allDone ? "done" : "running?";
            default -> r.state();
        };
        String detail = switch (state) {
            case "FAILED" -> "exit " + r.exitCode() + ": " + r.message() + " (" + where + ", " + r.updated() + ")";
            case "stopped" -> "exit 75, resumes when requeued: " + r.message() + " (" + where + ")";
            case "running?" -> "running, or killed without a word (SIGKILL, out of memory, node lost); last update " + r.updated() + " (" + where + ")";
            case "incomplete" -> "its task said done, yet runs are missing (files removed?)";
            default -> where;
        };
        return new ShardStatus(i, state, done, mine.size(), detail);
    }

    /** The report as printed by {@code geocont cluster status}. */
    public static String format(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %d runs%s: %d done, %d partway, %d not started%n", r.out(), r.runs().size(),
                r.shards() > 1 ? " in " + r.shards() + " shards" : "", r.count(RunState.DONE), r.count(RunState.PARTIAL), r.count(RunState.MISSING)));
        if (r.shards() > 1) {
            b.append(String.format(Locale.ROOT, "%-9s %-12s %-7s %s%n", "shard", "state", "runs", "detail"));
            for (ShardStatus s : r.shardList())
                b.append(String.format(Locale.ROOT, "%-9s %-12s %-7s %s%n", s.index() + "/" + r.shards(), s.state(), s.done() + "/" + s.runs(), s.detail()).stripTrailing()).append('\n');
        }
        List<RunStatus> left = r.unfinished();
        if (left.isEmpty()) {
            boolean merged = r.runs().stream().allMatch(RunStatus::merged);
            b.append("every run is done").append(merged ? (r.shards() > 1 ? " and merged into " + r.out() : "")
                    : "; merge: geocont sweep --merge " + r.out() + "/shards/*/ --out " + r.out()).append('\n');
            return b.toString();
        }
        b.append("missing or unfinished runs (").append(left.size()).append("):\n");
        for (RunStatus x : left)
            b.append(String.format(Locale.ROOT, "  %-28s %s%s%n", x.runId(), r.shards() > 1 ? "shard " + x.shard() + "/" + r.shards() + "  " : "", x.detail()));
        if (r.shards() > 1)
            b.append("to finish: submit the whole array again (e.g. bash ").append(r.out()).append("/slurm/submit.sh): finished shards ")
                    .append("return at once, shards ").append(r.unfinishedShards()).append(" resume from their checkpoints\n");
        else b.append("to finish: run the same sweep again; it resumes from the checkpoints\n");
        return b.toString();
    }
}
