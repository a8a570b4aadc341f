package io.geocont.models.transformer;

import io.geocont.backend.Activation;
import io.geocont.backend.Tensor;
import io.geocont.backend.cpu.CpuBackend;
import io.geocont.models.NormKind;
import io.geocont.models.Param;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A library user who builds a model, trains and drops it must get its memory back: close()
 * frees every tensor the model allocated (on the CPU a closed tensor refuses ops and copies,
 * as device memory would be gone), leaves the caller's tokens and targets alone, and a second
 * close does nothing.
 */
class TransformerModelCloseTest {
    @Test void closeFreesEveryTensorTheModelOwnsAndNothingElse() {
        try (CpuBackend be = new CpuBackend(2)) {
            TransformerConfig c = new TransformerConfig(11, 8, 2, 2, 12, 5, 2, true, Activation.SILU, NormKind.LAYER, 0.3, 10000, 1e-5);
            TransformerModel m = new TransformerModel(be, c, 3);
            SplittableRandom rng = new SplittableRandom(4);
            float[] tok = new float[c.rows()], tgt = new float[c.rows()];
            for (int i = 0; i < tok.length; i++) { tok[i] = rng.nextInt(c.vocab()); tgt[i] = rng.nextInt(c.vocab()); }
            Tensor tokens = be.fromArray(tok, tok.length), targets = be.fromArray(tgt, tgt.length);
            double before = m.forward(tokens, targets);
            m.backward();
            Tensor headInput = m.block(1).mlp.hidden();
            m.close();
            assertFalse(m.params().isEmpty());
            for (Param p : m.params()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.value().toArray(), p.name() + " value still usable");
                assertTrue(e.getMessage().contains("closed"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> p.grad().toArray(), p.name() + " gradient still usable");
            }
            assertThrows(IllegalStateException.class, headInput::toArray, "a module's cache outlived the model");
            IllegalStateException fwd = assertThrows(IllegalStateException.class, () -> m.forward(tokens, targets));
            assertTrue(fwd.getMessage().contains("was closed"), "the error names the closed operand: " + fwd.getMessage());
            assertEquals(tok.length, tokens.toArray().length, "the caller's tokens stay open");
            assertDoesNotThrow(targets::toArray);
            assertDoesNotThrow(m::close, "a second close does nothing");
            assertTrue(Double.isFinite(before));
        }
    }
}
