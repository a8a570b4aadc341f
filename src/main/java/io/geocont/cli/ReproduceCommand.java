package io.geocont.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code geocont reproduce <target>}: the paper's tables and figures from the command line. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's tables and figures (PNG, SVG, CSV/JSON, HTML report).")
public final class ReproduceCommand implements Runnable {

    /** Reproduction targets, in help order (class literals: a renamed target is a compile error, not a missing subcommand). */
    static final List<Class<?>> TARGETS = List.of(
            ReproduceTable1Command.class,
            ReproduceFig2aCommand.class,
            ReproduceFig12Command.class,
            ReproduceMlpCommand.class,
            ReproduceFig3Command.class,
            ReproduceAllCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public ReproduceCommand() { }

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }
}
