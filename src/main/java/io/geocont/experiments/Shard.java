package io.geocont.experiments;

import java.util.ArrayList;
import java.util.List;

/**
 * One part of a sweep for a job array: shard {@code index} of {@code count} (1-based, as
 * "i/N") takes runs j (0-based, in the sorted run list) with j mod N == i - 1.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count)
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 1 <= i <= N (e.g. --shard 1/4)");
    }

    /** Parses "i/N". */
    public static Shard parse(String s) {
        String[] p = s.trim().split("/");
        if (p.length != 2) throw new IllegalArgumentException("shard '" + s + "' must look like i/N, e.g. 2/8");
        try {
            return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard '" + s + "' must look like i/N with whole numbers, e.g. 2/8");
        }
    }

    /** The shard (1-based) of {@code count} that takes run j of the sorted list: the one rule of the split. */
    public static int owner(int j, int count) { return j % count + 1; }

    /** This shard's items of a list that is already in its canonical (sorted) order. */
    public <T> List<T> select(List<T> sorted) {
        List<T> out = new ArrayList<>();
        for (int j = 0; j < sorted.size(); j++) if (owner(j, count) == index) out.add(sorted.get(j));
        return out;
    }

    @Override public String toString() { return index + "/" + count; }
}
