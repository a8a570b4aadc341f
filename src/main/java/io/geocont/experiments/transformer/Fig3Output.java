package io.geocont.experiments.transformer;

import io.geocont.io.AtomicFiles;
import io.geocont.models.transformer.TransformerModel;
import io.geocont.train.ProjectionStats;
import io.geocont.train.TransformerRun;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fig. 3's numbers from a run: {@code fig3.json} ({"projections": {"q": {"v1", "u1", ...}},
 * "steps", "val_loss", "config", ...}). The charts drawn from the same run are
 * io.geocont.plot.Fig3Figures (presentation), so this package needs no chart library.
 */
public final class Fig3Output {
    private Fig3Output() { }

    public static Map<String, Object> json(TransformerRun.Result r) {
        Map<String, Object> projections = new LinkedHashMap<>();
        for (String name : TransformerModel.PROJECTIONS) {
            ProjectionStats p = r.projections().get(name);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("v1", p.v1()); e.put("u1", p.u1());
            e.put("v1_pairs", p.v1Pairs()); e.put("u1_pairs", p.u1Pairs());
            e.put("baseline_v1", p.baselineV1()); e.put("baseline_u1", p.baselineU1());
            e.put("s2wa_v", p.s2waV()); e.put("s2wa_u", p.s2waU()); e.put("erank", p.erank());
            e.put("mean_input_cos_v1", p.meanInputCosMean()); e.put("mean_output_cos_u1", p.meanOutputCosMean());
            e.put("mean_input_cos_v1_per_layer", p.meanInputCos()); e.put("mean_output_cos_u1_per_layer", p.meanOutputCos());
            e.put("move_ratio", p.moveRatioMean());
            e.put("shape", List.of(p.rows(), p.cols()));
            projections.put(name, e);
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("projections", projections);
        j.put("steps", r.steps());
        j.put("val_loss", r.valLoss());
        j.put("config", r.settings());
        j.put("train_loss", r.trainLoss());
        j.put("unigram_entropy_nats", r.unigramEntropyNats());
        j.put("unigram_entropy_bits", r.unigramEntropyNats() / Math.log(2));
        j.put("finished", r.finished());
        j.put("notes", "v1 = input-space (right) leading singular vector, u1 = output-space (left); each value is the mean over "
                + "adjacent block pairs of |cos|; baseline_v1 uses the input dimension, baseline_u1 the output dimension; "
                + "mean_input_cos_v1 = |cos(v1, mean of row-normalized inputs on a held-out batch)|, "
                + "mean_output_cos_u1 = |cos(u1, mean of the projection's outputs)|, both averaged over layers.");
        return j;
    }

    /** Writes fig3.json into {@code dir}; returns the JSON written (the charts: io.geocont.plot.Fig3Figures). */
    public static Map<String, Object> write(TransformerRun.Result r, Path dir) throws IOException {
        Map<String, Object> j = json(r);
        AtomicFiles.writeJson(dir.resolve("fig3.json"), j);
        return j;
    }
}
