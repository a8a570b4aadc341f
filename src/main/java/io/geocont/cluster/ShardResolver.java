package io.geocont.cluster;

import io.geocont.experiments.Shard;

import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@code --shard} value into a {@link Shard}: "i/N" as written, or "auto" from the job
 * array the process runs in. Meant for every command that splits a list across array tasks
 * (sweep now; analyze over a checkpoint series later).
 *
 * <p>auto reads, in this order:
 * <ul>
 * <li>Slurm: {@code SLURM_ARRAY_TASK_ID} with {@code SLURM_ARRAY_TASK_MIN} and
 *     {@code SLURM_ARRAY_TASK_COUNT} (or {@code SLURM_ARRAY_TASK_MAX}); a step
 *     ({@code SLURM_ARRAY_TASK_STEP}, "--array=0-15:4") is honoured. Shard = position in the
 *     array, count = the array's size; an explicit count must agree with it.</li>
 * <li>Kubernetes Indexed Job: {@code JOB_COMPLETION_INDEX} (0-based) with the count from
 *     {@code --shards N} or {@code GEOCONT_SHARD_COUNT}.</li>
 * </ul>
 */
public final class ShardResolver {
    public static final String SLURM_ID = "SLURM_ARRAY_TASK_ID", SLURM_MIN = "SLURM_ARRAY_TASK_MIN",
            SLURM_MAX = "SLURM_ARRAY_TASK_MAX", SLURM_COUNT = "SLURM_ARRAY_TASK_COUNT", SLURM_STEP = "SLURM_ARRAY_TASK_STEP",
            K8S_INDEX = "JOB_COMPLETION_INDEX", COUNT_VAR = "GEOCONT_SHARD_COUNT";

    /** The shard and where it came from ("SLURM_ARRAY_TASK_ID=3 of 1-4", "--shard 2/4"). */
    public record Resolved(Shard shard, String source) { }

    private ShardResolver() { }

    /**
     * @param spec          the --shard value: null (everything), "i/N" or "auto"
     * @param explicitCount --shards N, or null
     * @param env           the environment (System.getenv() outside tests)
     */
    public static Resolved resolve(String spec, Integer explicitCount, Map<String, String> env) {
        if (spec == null || spec.isBlank()) {
            if (explicitCount != null) throw new IllegalArgumentException("--shards N goes with --shard auto");
            return new Resolved(Shard.ALL, "no --shard");
        }
        if (!spec.trim().toLowerCase(Locale.ROOT).equals("auto")) {
            Shard s = Shard.parse(spec);
            if (explicitCount != null && explicitCount != s.count())
                throw new IllegalArgumentException("--shards " + explicitCount + " contradicts --shard " + spec);
            return new Resolved(s, "--shard " + s);
        }
        Count given = count(explicitCount, env);
        if (present(env, SLURM_ID)) return slurm(given, env);
        if (present(env, K8S_INDEX)) return kubernetes(given, env);
        throw new IllegalArgumentException("--shard auto found no job-array index: set " + SLURM_ID + " with " + SLURM_MIN + " and "
                + SLURM_COUNT + " (or " + SLURM_MAX + "), as Slurm does for sbatch --array tasks, or " + K8S_INDEX
                + " with --shards N or " + COUNT_VAR + " (a Kubernetes Indexed Job); or give --shard i/N");
    }

    /** A shard count stated outright, and by what ("--shards", "GEOCONT_SHARD_COUNT"). */
    private record Count(int n, String from) { }

    private static Count count(Integer explicitCount, Map<String, String> env) {
        Integer fromEnv = present(env, COUNT_VAR) ? number(env, COUNT_VAR) : null;
        if (explicitCount != null && fromEnv != null && !explicitCount.equals(fromEnv))
            throw new IllegalArgumentException("--shards " + explicitCount + " and " + COUNT_VAR + "=" + fromEnv + " disagree");
        Count c = explicitCount != null ? new Count(explicitCount, "--shards") : fromEnv != null ? new Count(fromEnv, COUNT_VAR) : null;
        if (c != null && c.n() < 1) throw new IllegalArgumentException(c.from() + " must be >= 1, got " + c.n());
        return c;
    }

    private static Resolved slurm(Count given, Map<String, String> env) {
        int id = number(env, SLURM_ID);
        if (!present(env, SLURM_MIN) || !(present(env, SLURM_COUNT) || present(env, SLURM_MAX)))
            throw new IllegalArgumentException(SLURM_ID + " is set but " + SLURM_MIN + " and " + SLURM_COUNT + " (or " + SLURM_MAX
                    + ") are not; Slurm sets all of them for array tasks (sbatch --array=1-N)");
        int min = number(env, SLURM_MIN);
        int step = present(env, SLURM_STEP) ? number(env, SLURM_STEP) : 1;
        if (step < 1) throw new IllegalArgumentException(SLURM_STEP + "=" + step + " must be >= 1");
        Integer max = present(env, SLURM_MAX) ? number(env, SLURM_MAX) : null;
        Integer count = present(env, SLURM_COUNT) ? number(env, SLURM_COUNT) : null;
        if (max != null && (max < min || (max - min) % step != 0))
            throw new IllegalArgumentException("Slurm array " + min + "-" + max + ":" + step + " is not a range of whole steps");
        int n = count != null ? count : (max - min) / step + 1;
        if (max != null && count != null && (max - min) / step + 1 != count)
            throw new IllegalArgumentException("Slurm array with " + count + " tasks between " + min + " and " + max
                    + " is not one contiguous range (e.g. --array=1,3,7); --shard auto needs --array=A-B (or A-B:step)");
        if (id < min || (id - min) % step != 0 || (id - min) / step >= n)
            throw new IllegalArgumentException(SLURM_ID + "=" + id + " is not in the array " + min + ".." + (min + (n - 1) * step)
                    + (step > 1 ? " step " + step : ""));
        if (given != null && given.n() != n)
            throw new IllegalArgumentException(given.from() + " says " + given.n() + " shards but this Slurm array has " + n
                    + " tasks; submit the whole array (--array=1-" + given.n() + "), or run single shards with --shard i/" + given.n());
        Shard s = new Shard((id - min) / step + 1, n);
        String range = min + "-" + (min + (n - 1) * step) + (step > 1 ? ":" + step : "");
        return new Resolved(s, SLURM_ID + "=" + id + " of " + range);
    }

    private static Resolved kubernetes(Count given, Map<String, String> env) {
        int index = number(env, K8S_INDEX);
        if (given == null)
            throw new IllegalArgumentException(K8S_INDEX + "=" + index + " is set but not how many shards there are: give --shards N or set "
                    + COUNT_VAR + " to the Job's completions");
        int n = given.n();
        String from = given.from();
        if (index < 0 || index >= n)
            throw new IllegalArgumentException(K8S_INDEX + "=" + index + " is outside 0.." + (n - 1) + " (" + from + " " + n + ")");
        return new Resolved(new Shard(index + 1, n), K8S_INDEX + "=" + index + " of " + n + " (" + from + ")");
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private static int number(Map<String, String> env, String name) {
        String v = env.get(name).trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + v + "' is not a whole number");
        }
    }
}
