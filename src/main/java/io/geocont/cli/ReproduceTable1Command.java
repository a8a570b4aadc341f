package io.geocont.cli;

import io.geocont.plot.MlpFigures;
import io.geocont.report.MlpReport;
import io.geocont.experiments.VariantNames;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code geocont reproduce table1}: Table 1 of the paper: the toy-MLP grid (variants x seeds), s2-WA, erank, continuity, accuracy. */
@Command(name = "table1", mixinStandardHelpOptions = true,
        description = {"Table 1 of the paper: the toy-MLP grid (variants x seeds), s2-WA, erank, continuity, accuracy.",
                "Reuses finished runs in --out (default geocont-out/mlp-<scale>-<optimizer>); writes CSV/JSON, PNG+SVG figures and report.html there."})
public final class ReproduceTable1Command extends MlpReproduction {
    @Override List<String> variants() { return VariantNames.DEFAULT; }

    @Override MlpReport.Part part() { return MlpReport.Part.TABLE1; }
}
