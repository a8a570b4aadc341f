package io.geocont.cli;

import io.geocont.plot.MlpFigures;
import io.geocont.report.MlpReport;
import io.geocont.experiments.VariantNames;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code geocont reproduce fig2a}: Fig. 2a: per-layer rotation drift of v1 for res-relu, res-none, res-radial-tanh. */
@Command(name = "fig2a", mixinStandardHelpOptions = true,
        description = {"Fig. 2a: per-layer rotation drift of v1 for res-relu, res-none, res-radial-tanh.",
                "Reuses finished runs in --out (default geocont-out/mlp-<scale>-<optimizer>); writes CSV/JSON, PNG+SVG figures and report.html there."})
public final class ReproduceFig2aCommand extends MlpReproduction {
    @Override List<String> variants() { return MlpFigures.FIG2A_VARIANTS; }

    @Override MlpReport.Part part() { return MlpReport.Part.FIG2A; }
}
