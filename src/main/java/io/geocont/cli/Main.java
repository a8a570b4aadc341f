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
     * The CLI's table of contents, in help order: picocli command classes, named by class literal
     * so that renaming or removing one is a compile error here, not a command that quietly
     * disappears from the CLI.
     */
    static final List<Class<?>> COMMANDS = List.of(
            ReproduceCommand.class,
            ContinuityCommand.class,
            AnalyzeCommand.class,
            CompareCommand.class,
            MlpCommand.class,
            SweepCommand.class,
            ClusterCommand.class,
            TransformerCommand.class,
            DoctorCommand.class);

    @Override public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        addAll(cl, COMMANDS);
        addAll(cl.getSubcommands().get("reproduce"), ReproduceCommand.TARGETS);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        Plots.warnTo(System.err::println); // library and presentation code never print; the CLI does
        return cl;
    }

    /** Adds each listed command (a new instance of each class) under {@code parent}. */
    private static void addAll(CommandLine parent, List<Class<?>> commands) {
        for (Class<?> type : commands) {
            try {
                parent.addSubcommand(type.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create command " + type.getName(), e);
            }
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
