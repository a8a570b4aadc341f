package io.geocont.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code geocont reproduce <target>}: the paper's tables and figures from the command line. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's tables and figures (PNG, SVG, CSV/JSON, HTML report).")
public final class ReproduceCommand implements Runnable {

    /** Reproduction targets, by class name so each experiment stays its own module. */
    static final List<String> TARGETS = List.of(
            "io.geocont.cli.ReproduceTable1Command",
            "io.geocont.cli.ReproduceFig2aCommand",
            "io.geocont.cli.ReproduceFig12Command",
            "io.geocont.cli.ReproduceMlpCommand",
            "io.geocont.cli.ReproduceFig3Command",
            "io.geocont.cli.ReproduceAllCommand");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public ReproduceCommand() { }

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }
}
