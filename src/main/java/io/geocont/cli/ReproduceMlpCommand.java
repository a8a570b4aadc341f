package io.geocont.cli;

import io.geocont.plot.MlpFigures;
import io.geocont.report.MlpReport;
import io.geocont.experiments.VariantNames;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code geocont reproduce mlp}: The whole toy-MLP reproduction: the grid, Table 1, every figure and report.html. */
@Command(name = "mlp", mixinStandardHelpOptions = true,
        description = {"The whole toy-MLP reproduction: the grid, Table 1, every figure and report.html.",
                "Reuses finished runs in --out (default geocont-out/mlp-<scale>-<optimizer>); writes CSV/JSON, PNG+SVG figures and report.html there."})
public final class ReproduceMlpCommand extends MlpReproduction {
    @Override List<String> variants() { return VariantNames.DEFAULT; }

    @Override MlpReport.Part part() { return MlpReport.Part.ALL; }
}
