package io.geocont.io.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of a training run: the {@code checkpoint-N} (Hugging Face Trainer),
 * {@code step-N} or {@code global_stepN} (DeepSpeed) subfolders of a folder, ordered by N as a
 * number (step-10 after step-9, which a sort by name gets wrong).
 */
public final class CheckpointSeries {
    private static final Pattern STEP = Pattern.compile("(?:checkpoint-|step-|global_step)(\\d{1,18})"); // 18 digits always fit a long

    /** A checkpoint folder and its step. */
    public record StepFolder(long step, Path path) { }

    private CheckpointSeries() { }

    /** The step in a folder's name, when it is named like a training checkpoint. */
    public static OptionalLong stepOf(Path p) {
        Path name = p.toAbsolutePath().normalize().getFileName();
        if (name == null) return OptionalLong.empty();
        Matcher m = STEP.matcher(name.toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The step subfolders of {@code dir} in step order (empty when it holds none). */
    public static List<StepFolder> stepsIn(Path dir) throws CheckpointException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            List<StepFolder> out = s.filter(Files::isDirectory)
                    .map(p -> { OptionalLong n = stepOf(p); return n.isPresent() ? new StepFolder(n.getAsLong(), p) : null; })
                    .filter(java.util.Objects::nonNull)
                    .sorted(Comparator.comparingLong(StepFolder::step)).toList();
            for (int i = 1; i < out.size(); i++)
                if (out.get(i).step() == out.get(i - 1).step())
                    throw new CheckpointException(dir + ": two checkpoints of step " + out.get(i).step() + ": "
                            + out.get(i - 1).path().getFileName() + " and " + out.get(i).path().getFileName());
            return out;
        } catch (IOException e) {
            if (e instanceof CheckpointException c) throw c;
            throw new CheckpointException(dir + ": cannot list: " + e, e);
        }
    }
}
