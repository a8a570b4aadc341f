package io.geocont.models.mlp;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.LazyDeferral;
import io.geocont.backend.cpu.CpuBackend;
import io.geocont.linalg.PoolSize;
import io.geocont.models.NormKind;
import io.geocont.models.Param;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The backward pass defers its weight-gradient GEMMs to a lane beside the data-gradient chain
 * (two threads or more): every gradient must be bitwise the one computed on one thread, step
 * after step (the lane's tasks and the caller share the per-block buffers).
 */
class DeferredGradientTest {

    private static List<int[]> gradients(Backend be, MlpConfig cfg, int steps) {
        List<int[]> out = new ArrayList<>();
        try (MlpModel m = new MlpModel(be, cfg, 7)) {
            MlpModel.Workspace ws = m.workspace(32);
            Random rnd = new Random(3);
            for (int s = 0; s < steps; s++) {
                float[] x = new float[32 * cfg.inputDim()];
                int[] y = new int[32];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < y.length; i++) y[i] = rnd.nextInt(cfg.classes());
                ws.load(x, y);
                m.forward(ws);
                m.loss(ws);
                m.backward(ws);
                for (Param p : m.parameters()) {
                    float[] g = p.grad().toArray();
                    int[] bits = new int[g.length];
                    for (int i = 0; i < g.length; i++) bits[i] = Float.floatToRawIntBits(g[i]);
                    out.add(bits);
                }
            }
        }
        return out;
    }

    @Test
    void deferredWeightGradientsAreTheOneThreadBits() {
        PoolSize.with(2, () -> {
            for (MlpConfig cfg : List.of(
                    new MlpConfig(40, 24, 5, 10, true, Activation.RELU, 0f, NormKind.NONE, InitKind.PYTORCH),
                    new MlpConfig(40, 24, 5, 10, true, Activation.GELU, 0f, NormKind.LAYER, InitKind.PYTORCH),
                    new MlpConfig(40, 24, 5, 10, false, Activation.RELU, 0f, NormKind.RMS, InitKind.PYTORCH))) {
                List<int[]> lane = gradients(new CpuBackend(2), cfg, 4), single = gradients(new CpuBackend(1), cfg, 4),
                        lazy = gradients(LazyDeferral.over(new CpuBackend(2)), cfg, 4);
                assertEquals(single.size(), lane.size());
                boolean nonZero = false;
                for (int i = 0; i < single.size(); i++) {
                    assertArrayEquals(single.get(i), lane.get(i), cfg + ": lane: gradient " + i);
                    assertArrayEquals(single.get(i), lazy.get(i), cfg + ": deferred to the await: gradient " + i);
                    for (int b : single.get(i)) nonZero |= b != 0;
                }
                assertTrue(nonZero, "the gradients hold values");
            }
        });
    }
}
