package io.geocont.cli;

import io.geocont.plot.MlpFigures;
import io.geocont.report.MlpReport;
import io.geocont.experiments.VariantNames;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code geocont reproduce fig12}: Fig. 12: gradient coherence, cumulative-gradient continuity, v1 and dGW for residual vs plain ReLU nets. */
@Command(name = "fig12", mixinStandardHelpOptions = true,
        description = {"Fig. 12: gradient coherence, cumulative-gradient continuity, v1 and dGW for residual vs plain ReLU nets.",
                "Reuses finished runs in --out (default geocont-out/mlp-<scale>-<optimizer>); writes CSV/JSON, PNG+SVG figures and report.html there."})
public final class ReproduceFig12Command extends MlpReproduction {
    @Override List<String> variants() { return MlpFigures.FIG12_VARIANTS; }

    @Override MlpReport.Part part() { return MlpReport.Part.FIG12; }
}
