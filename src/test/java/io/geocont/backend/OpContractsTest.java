package io.geocont.backend;

import io.geocont.backend.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every op's shape contract, as both backends state it through {@link OpContracts}: the right
 * shapes pass, and one tensor of the wrong shape fails with a message that names the op and that
 * tensor. Each case runs the contract alone and the CPU backend's op (which must refuse before it
 * touches memory); the CUDA backend calls the same contract methods (its gpu-tagged tests run the
 * ops themselves).
 */
class OpContractsTest {
    private static final CpuBackend B = new CpuBackend();

    @AfterAll static void close() { B.close(); }

    private static Tensor t(int... shape) { return B.zeros(shape); }

    /** name, the contract with good shapes, the contract with one bad tensor, the op with that bad tensor, what the message names. */
    static Stream<Arguments> cases() {
        Tensor x = t(4, 6), x2 = t(4, 6), out = t(4, 6), bad = t(4, 5), row6 = t(6), row5 = t(5), rows4 = t(4), rows3 = t(3);
        return Stream.of(
                Arguments.of("copy", (Executable) () -> OpContracts.copy("copy", x, out),
                        (Executable) () -> OpContracts.copy("copy", x, bad), (Executable) () -> B.copy(x, bad), "dst"),
                Arguments.of("biasActForward", (Executable) () -> OpContracts.biasActForward("op", x, row6, x2, out),
                        (Executable) () -> OpContracts.biasActForward("op", x, row5, x2, out),
                        (Executable) () -> B.biasActForward(x, row5, Activation.RELU, 0f, x2, out), "bias"),
                Arguments.of("biasActBackward", (Executable) () -> OpContracts.biasActBackward("op", x2, x, out, row6),
                        (Executable) () -> OpContracts.biasActBackward("op", x2, x, bad, row6),
                        (Executable) () -> B.biasActBackward(x2, x, Activation.RELU, 0f, bad, row6), "dPre"),
                Arguments.of("gatedActForward", (Executable) () -> OpContracts.gatedActForward("op", x, x2, out),
                        (Executable) () -> OpContracts.gatedActForward("op", x, bad, out),
                        (Executable) () -> B.gatedActForward(x, bad, Activation.SILU, 0f, out), "up"),
                Arguments.of("gatedActBackward", (Executable) () -> OpContracts.gatedActBackward("op", x2, x, t(4, 6), out, t(4, 6)),
                        (Executable) () -> OpContracts.gatedActBackward("op", x2, x, t(4, 6), out, bad),
                        (Executable) () -> B.gatedActBackward(x2, x, t(4, 6), Activation.SILU, 0f, out, bad), "a gradient or up"),
                Arguments.of("layerNormForward", (Executable) () -> OpContracts.layerNormForward("op", x, row6, row6, out, rows4, rows4),
                        (Executable) () -> OpContracts.layerNormForward("op", x, row6, row6, out, rows3, rows4),
                        (Executable) () -> B.layerNormForward(x, row6, row6, 1e-5f, out, rows3, rows4), "mean"),
                Arguments.of("layerNormBackward", (Executable) () -> OpContracts.layerNormBackward("op", x2, x, row6, rows4, rows4, out, row6, t(6)),
                        (Executable) () -> OpContracts.layerNormBackward("op", x2, x, row6, rows4, rows4, out, row6, row5),
                        (Executable) () -> B.layerNormBackward(x2, x, row6, rows4, rows4, out, row6, row5), "dBeta"),
                Arguments.of("rmsNormForward", (Executable) () -> OpContracts.rmsNormForward("op", x, row6, out, rows4),
                        (Executable) () -> OpContracts.rmsNormForward("op", x, row5, out, rows4),
                        (Executable) () -> B.rmsNormForward(x, row5, 1e-5f, out, rows4), "gamma"),
                Arguments.of("rmsNormBackward", (Executable) () -> OpContracts.rmsNormBackward("op", x2, x, row6, rows4, out, t(6)),
                        (Executable) () -> OpContracts.rmsNormBackward("op", x2, x, row6, rows3, out, t(6)),
                        (Executable) () -> B.rmsNormBackward(x2, x, row6, rows3, out, t(6)), "rstd"),
                Arguments.of("softmaxCrossEntropy", (Executable) () -> OpContracts.softmaxCrossEntropy("op", x, rows4, out, t(4)),
                        (Executable) () -> OpContracts.softmaxCrossEntropy("op", x, rows3, out, t(4)),
                        (Executable) () -> B.softmaxCrossEntropy(x, rows3, out, t(4)), "labels"),
                Arguments.of("causalSoftmaxForward", (Executable) () -> OpContracts.causalSoftmaxForward("op", t(2 * 9), 2, 3, t(18)),
                        (Executable) () -> OpContracts.causalSoftmaxForward("op", t(2 * 9), 2, 3, t(17)),
                        (Executable) () -> B.causalSoftmaxForward(t(18), 1f, 2, 3, t(17)), "probs"),
                Arguments.of("causalSoftmaxBackward", (Executable) () -> OpContracts.causalSoftmaxBackward("op", t(18), t(18), 2, 3, t(18)),
                        (Executable) () -> OpContracts.causalSoftmaxBackward("op", t(18), t(18), 2, 3, t(19)),
                        (Executable) () -> B.causalSoftmaxBackward(t(18), t(18), 1f, 2, 3, t(19)), "dScores"),
                Arguments.of("rope", (Executable) () -> OpContracts.rope("op", t(1, 2, 3, 4), 1, 2, 3, 4),
                        (Executable) () -> OpContracts.rope("op", t(1, 2, 3, 5), 1, 2, 3, 4),
                        (Executable) () -> B.rope(t(1, 2, 3, 5), 1, 2, 3, 4, 10000f, false), "x"),
                Arguments.of("embeddingForward", (Executable) () -> OpContracts.embeddingForward("op", t(10, 6), rows4, out),
                        (Executable) () -> OpContracts.embeddingForward("op", t(10, 6), rows4, bad),
                        (Executable) () -> B.embeddingForward(t(10, 6), rows4, bad), "out"),
                Arguments.of("embeddingBackward", (Executable) () -> OpContracts.embeddingBackward("op", x2, rows4, t(10, 6)),
                        (Executable) () -> OpContracts.embeddingBackward("op", bad, rows4, t(10, 6)),
                        (Executable) () -> B.embeddingBackward(bad, rows4, t(10, 6)), "dOut"),
                Arguments.of("axpy", (Executable) () -> OpContracts.axpy("axpy", x, out),
                        (Executable) () -> OpContracts.axpy("axpy", x, bad), (Executable) () -> B.axpy(1f, x, bad), "y"),
                Arguments.of("add", (Executable) () -> OpContracts.add("add", x, x2, out),
                        (Executable) () -> OpContracts.add("add", x, x2, bad), (Executable) () -> B.add(x, x2, bad), "out"),
                Arguments.of("columnSum", (Executable) () -> OpContracts.columnSum("columnSum", x, row6),
                        (Executable) () -> OpContracts.columnSum("columnSum", x, row5), (Executable) () -> B.columnSum(x, row5, false), "out"),
                Arguments.of("dot", (Executable) () -> OpContracts.dot("dot", x, x2),
                        (Executable) () -> OpContracts.dot("dot", x, bad), (Executable) () -> B.dot(x, bad), "b"),
                Arguments.of("sgdMomentumUpdate", (Executable) () -> OpContracts.sgdMomentumUpdate("op", x, x2, out),
                        (Executable) () -> OpContracts.sgdMomentumUpdate("op", x, x2, bad),
                        (Executable) () -> B.sgdMomentumUpdate(x, x2, bad, 0.1f, 0.9f, 0f, 1f), "velocity"),
                Arguments.of("adamwUpdate", (Executable) () -> OpContracts.adamwUpdate("op", x, x2, out, t(4, 6), 1),
                        (Executable) () -> OpContracts.adamwUpdate("op", x, x2, out, bad, 1),
                        (Executable) () -> B.adamwUpdate(x, x2, out, bad, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1, 1f), "v"),
                Arguments.of("adjacentAbsCos", (Executable) () -> OpContracts.adjacentAbsCos("op", x, rows3),
                        (Executable) () -> OpContracts.adjacentAbsCos("op", x, rows4), (Executable) () -> B.adjacentAbsCos(x, rows4), "out"),
                Arguments.of("adjacentDotsAndNorms", (Executable) () -> OpContracts.adjacentDotsAndNorms("op", x, t(7)),
                        (Executable) () -> OpContracts.adjacentDotsAndNorms("op", x, t(6)), (Executable) () -> B.adjacentDotsAndNorms(x, t(6)), "out"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rightShapesPassAndAWrongOneIsNamed(String name, Executable good, Executable contract, Executable op, String names) {
        assertDoesNotThrow(good, name + ": the right shapes");
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, contract, name + ": contract");
        assertTrue(c.getMessage().contains(names + " "), name + ": the message names " + names + ": " + c.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op, name + ": the CPU op");
        assertTrue(e.getMessage().startsWith(name), name + ": the CPU op's message starts with its name: " + e.getMessage());
        assertTrue(e.getMessage().contains(names + " "), name + ": the CPU op names " + names + ": " + e.getMessage());
    }

    @Test
    void aStepBeforeOneAndAnOddHeadDimAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpContracts.adamwUpdate("adamwUpdate", t(4, 6), t(4, 6), t(4, 6), t(4, 6), 0));
        assertTrue(e.getMessage().contains("step counts from 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> B.rope(t(1, 2, 3, 3), 1, 2, 3, 3, 10000f, false));
        assertTrue(e.getMessage().contains("headDim must be even"), e.getMessage());
    }
}
