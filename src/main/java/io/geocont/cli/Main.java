package io.geocont.cli;

import io.geocont.plot.Plots;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** Entry point of the {@code geocont} command line. */
@Command(name = "geocont", mixinStandardHelpOptions = true, version = "geocont 0.1.0",
        description = "Measure and explain geometric continuity of neural-network weights.")
public final class Main implements Runnable {

    /**
     * The CLI's table of contents, in help order. Each entry is a picocli command class; the list
     * is by name so the commands stay independent of each other.
     */
    static final List<String> COMMANDS = List.of(
            "io.geocont.cli.ReproduceCommand",
            "io.geocont.cli.ContinuityCommand",
            "io.geocont.cli.AnalyzeCommand",
            "io.geocont.cli.CompareCommand",
            "io.geocont.cli.MlpCommand",
            "io.geocont.cli.SweepCommand",
            "io.geocont.cli.ClusterCommand",
            "io.geocont.cli.TransformerCommand",
            "io.geocont.cli.DoctorCommand");

    @Override public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        addPresent(cl, COMMANDS);
        CommandLine reproduce = cl.getSubcommands().get("reproduce");
        if (reproduce != null) addPresent(reproduce, ReproduceCommand.TARGETS);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        Plots.warnTo(System.err::println); // library and presentation code never print; the CLI does
        return cl;
    }

    /** Adds each listed command class that this build contains. */
    private static void addPresent(CommandLine parent, List<String> classNames) {
        for (String name : classNames) {
            Object command;
            try {
                command = Class.forName(name).getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                continue; // not part of this build
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create command " + name, e);
            }
            parent.addSubcommand(command);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
