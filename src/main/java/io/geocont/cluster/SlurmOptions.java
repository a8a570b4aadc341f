package io.geocont.cluster;

import java.util.List;

/**
 * The sbatch settings of the sweep array and its merge job. Null/0 = leave it to the cluster's
 * defaults. Every value goes on an {@code #SBATCH} line, so each is checked here.
 *
 * @param signalLead seconds before the time limit at which Slurm sends SIGUSR1 (0 = none)
 * @param maxParallel at most this many tasks at once ("%K" in --array; 0 = no limit)
 */
public record SlurmOptions(String partition, String time, String mem, Integer cpusPerTask, int gpus, String gpuType,
                           String account, String qos, int maxParallel, int signalLead, String mergeTime, String mergeMem,
                           List<String> extraSbatch, List<String> setup) {
    private static final String NAME = "[A-Za-z0-9_.,+-]+";

    public SlurmOptions {
        check("--partition", partition, NAME);
        check("--time", time, "(\\d+|\\d+:\\d{1,2}|\\d+:\\d{1,2}:\\d{1,2}|\\d+-\\d+|\\d+-\\d+:\\d{1,2}|\\d+-\\d+:\\d{1,2}:\\d{1,2}|UNLIMITED|unlimited|infinite)");
        check("--merge-time", mergeTime, "(\\d+|\\d+:\\d{1,2}|\\d+:\\d{1,2}:\\d{1,2}|\\d+-\\d+(:\\d{1,2}){0,2})");
        check("--mem", mem, "\\d+[KMGT]?");
        check("--merge-mem", mergeMem, "\\d+[KMGT]?");
        check("--gpu-type", gpuType, "[A-Za-z0-9_.-]+");
        check("--account", account, NAME);
        check("--qos", qos, NAME);
        if (cpusPerTask != null && cpusPerTask < 1) throw new IllegalArgumentException("--cpus-per-task must be >= 1, got " + cpusPerTask);
        if (gpus < 0) throw new IllegalArgumentException("--gpus must be >= 0, got " + gpus);
        if (gpuType != null && gpus == 0) throw new IllegalArgumentException("--gpu-type needs --gpus N");
        if (maxParallel < 0) throw new IllegalArgumentException("--max-parallel must be >= 0, got " + maxParallel);
        if (signalLead < 0 || signalLead > 65535) throw new IllegalArgumentException("--signal-lead must be 0..65535 seconds, got " + signalLead);
        Long limit = seconds(time);
        if (limit != null && signalLead > 0 && signalLead >= limit)
            throw new IllegalArgumentException("--signal-lead " + signalLead + " s is not shorter than --time " + time
                    + "; the warning would come before the task could work");
        extraSbatch = extraSbatch == null ? List.of() : List.copyOf(extraSbatch);
        for (String e : extraSbatch) {
            Shell.oneLine("--sbatch", e);
            if (!e.matches("--[a-z][a-z-]*(=\\S+)?") && !e.matches("-[A-Za-z]( ?\\S+)?"))
                throw new IllegalArgumentException("--sbatch '" + e + "' must be one sbatch option like --constraint=a100 or --exclusive");
        }
        setup = setup == null ? List.of() : List.copyOf(setup);
        for (String s : setup) Shell.oneLine("--setup", s);
    }

    private static void check(String flag, String value, String pattern) {
        if (value != null && !value.matches(pattern))
            throw new IllegalArgumentException(flag + " '" + value + "' is not valid for sbatch" + (flag.contains("time")
                    ? " (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)" : flag.contains("mem") ? " (e.g. 4G or 4000 for MB)" : ""));
    }

    /** Slurm's time formats in seconds, or null for none/unlimited. */
    static Long seconds(String t) {
        if (t == null || !Character.isDigit(t.charAt(0))) return null;
        long days = 0;
        String rest = t;
        int dash = t.indexOf('-');
        if (dash >= 0) {
            days = Long.parseLong(t.substring(0, dash));
            rest = t.substring(dash + 1);
        }
        String[] p = rest.split(":");
        long s;
        if (dash >= 0) { // D-HH[:MM[:SS]]
            s = Long.parseLong(p[0]) * 3600 + (p.length > 1 ? Long.parseLong(p[1]) * 60 : 0) + (p.length > 2 ? Long.parseLong(p[2]) : 0);
        } else if (p.length == 1) { // minutes
            s = Long.parseLong(p[0]) * 60;
        } else if (p.length == 2) { // MM:SS
            s = Long.parseLong(p[0]) * 60 + Long.parseLong(p[1]);
        } else { // HH:MM:SS
            s = Long.parseLong(p[0]) * 3600 + Long.parseLong(p[1]) * 60 + Long.parseLong(p[2]);
        }
        return days * 86400 + s;
    }
}
