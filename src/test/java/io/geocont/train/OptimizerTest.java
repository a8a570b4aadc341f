package io.geocont.train;

import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.backend.Tensor;
import io.geocont.models.Param;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class OptimizerTest {
    @Test void quickDefaultIsPaperSection5() {
        TrainConfig t = TrainConfig.quickDefault();
        assertEquals(OptimizerKind.SGD, t.optimizer());
        assertEquals(0.05f, t.lr());
        assertEquals(0.9f, t.momentum());
        assertEquals(5f, t.clipNorm());
        assertEquals(128, t.batch());
        assertEquals(10, t.epochs());
        assertEquals(LrSchedule.CONSTANT, t.schedule());
    }

    @Test void globalClipScalesEveryGradientByOneFactor() {
        try (Backend be = Backends.open("cpu", null)) {
            Tensor a = be.zeros(2), ga = be.fromArray(new float[]{30, 0}, 2);
            Tensor b = be.zeros(1), gb = be.fromArray(new float[]{40}, 1);
            TrainConfig t = new TrainConfig(OptimizerKind.SGD, 0.1f, 0f, 0f, 5f, 1, 1, 0, 0.9f, 0.999f, 1e-8f);
            Optimizer opt = new Optimizer(be, t.optimizerConfig(), List.of(new Param("a", a, ga, true), new Param("b", b, gb, false)), 1);
            assertEquals(50.0, opt.step(), 1e-9, "returns the norm before clipping");
            // clipped to norm 5: gradients * 0.1, then lr 0.1
            assertArrayEquals(new float[]{-0.3f, 0f}, a.toArray(), 1e-6f);
            assertArrayEquals(new float[]{-0.4f}, b.toArray(), 1e-6f);
            assertEquals(1, opt.stepCount());
        }
    }

    @Test void weightDecayOnlyTouchesMatrices() {
        try (Backend be = Backends.open("cpu", null)) {
            Tensor w = be.fromArray(new float[]{1f}, 1), gw = be.zeros(1);
            Tensor bias = be.fromArray(new float[]{1f}, 1), gbias = be.zeros(1);
            TrainConfig t = new TrainConfig(OptimizerKind.SGD, 0.1f, 0f, 0.5f, 0f, 1, 1, 0, 0.9f, 0.999f, 1e-8f);
            new Optimizer(be, t.optimizerConfig(), List.of(new Param("w", w, gw, true), new Param("b", bias, gbias, false)), 1).step();
            assertEquals(0.95f, w.toArray()[0], 1e-6f);
            assertEquals(1f, bias.toArray()[0]);
        }
    }

    @Test void cosineScheduleRunsFromLrToZero() {
        assertEquals(0.05f, LrSchedule.CONSTANT.rate(0.05f, 700, 1000));
        assertEquals(0.05f, LrSchedule.COSINE.rate(0.05f, 1, 1000), 1e-9f);
        assertEquals(0.025f, LrSchedule.COSINE.rate(0.05f, 501, 1000), 1e-6f);
        assertTrue(LrSchedule.COSINE.rate(0.05f, 1000, 1000) < 1e-6f);
        assertEquals(LrSchedule.COSINE, LrSchedule.parse("cosine"));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse("step"));
    }

    @Test void warmUpRisesLinearlyThenCosineEndsAtTheFloor() {
        OptimizerConfig c = new OptimizerConfig(OptimizerKind.ADAMW, 1e-3, 0f, 0.1f, 1f, 0.9f, 0.95f, 1e-8f, LrSchedule.COSINE, 10, 0.1);
        assertEquals(1e-4f, c.rate(1, 110), 1e-12f);
        assertEquals(1e-3f, c.rate(10, 110), 1e-12f, "end of the warm-up");
        assertEquals(1e-3f, c.rate(11, 110), 1e-12f, "the first cosine step runs at the peak");
        assertEquals(1e-4f, c.rate(110, 110), 1e-6f, "the last step sits near the floor");
        assertTrue(c.rate(60, 110) < 1e-3f && c.rate(60, 110) > 1e-4f);
    }

    @Test void adamBetasAreTheConfiguredOnes() {
        try (Backend be = Backends.open("cpu", null)) {
            float[] out = new float[2];
            float[] betas2 = {0.999f, 0.95f};
            for (int i = 0; i < 2; i++) {
                Tensor w = be.fromArray(new float[]{1f}, 1), g = be.fromArray(new float[]{1f}, 1);
                OptimizerConfig c = new OptimizerConfig(OptimizerKind.ADAMW, 0.1, 0f, 0f, 0f, 0.9f, betas2[i], 1e-8f, LrSchedule.CONSTANT, 0, 0);
                Optimizer opt = new Optimizer(be, c, List.of(new Param("w", w, g, true)), 2);
                opt.step();
                g.copyFrom(new float[]{3f});   // two different magnitudes: v-hat then depends on beta2
                opt.step();
                out[i] = w.toArray()[0];
            }
            assertNotEquals(out[0], out[1], "beta2 reaches the update");
        }
    }

    @Test void badOptimizerSettingsSayWhichOne() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new OptimizerConfig(OptimizerKind.ADAMW, 1e-3, 0f, 0f, 1f, 1.2f, 0.95f, 1e-8f, LrSchedule.COSINE, 0, 0.1));
        assertTrue(e.getMessage().contains("betas"), e.getMessage());
    }
}
