package io.geocont.cli;

import io.geocont.report.MlpReport;
import io.geocont.experiments.VariantNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code geocont reproduce all}: the toy-MLP reproduction (as {@code reproduce mlp}), then the
 * transformer figure (Fig. 3) when this build has it.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = {"Everything this build can reproduce: the toy-MLP grid with all figures and report.html,",
                "then Fig. 3 (transformer) if present. --scale and --backend are passed on to Fig. 3."})
public final class ReproduceAllCommand extends MlpReproduction {
    static final String FIG3 = "io.geocont.cli.ReproduceFig3Command";

    @Override List<String> variants() { return VariantNames.DEFAULT; }

    @Override MlpReport.Part part() { return MlpReport.Part.ALL; }

    @Override public Integer call() throws Exception {
        int rc = super.call();
        if (rc == io.geocont.cluster.StopSignals.EXIT_STOPPED) return rc; // stopped by a signal: nothing more starts
        Object fig3;
        try {
            fig3 = Class.forName(FIG3).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            System.err.println("reproduce all: Fig. 3 (transformer) is not part of this build; skipped");
            return rc;
        }
        CommandLine cl = new CommandLine(fig3);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        List<String> args = new ArrayList<>();
        if (cl.getCommandSpec().findOption("--backend") != null) { args.add("--backend"); args.add(backendOption.backend); }
        if (cl.getCommandSpec().findOption("--scale") != null) { args.add("--scale"); args.add(grid.scale); }
        System.err.println("reproduce all: running reproduce fig3 " + String.join(" ", args));
        int rc3 = cl.execute(args.toArray(String[]::new));
        return Math.max(rc, rc3);
    }
}
