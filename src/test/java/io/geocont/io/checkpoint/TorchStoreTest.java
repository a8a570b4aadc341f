package io.geocont.io.checkpoint;

import io.geocont.linalg.Matrix;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.geocont.io.checkpoint.TorchFixtures.path;
import static io.geocont.io.checkpoint.TorchFixtures.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads checkpoints that torch.save itself wrote (make_fixtures.py) and checks every value. */
class TorchStoreTest {
    static void mentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test void readsFloat32Float16Bfloat16Float64ExactlyAsSaved() throws Exception {
        try (TorchStore s = TorchStore.open(path("dtypes.pt"))) {
            assertEquals(List.of("f32", "f16", "bf16", "f64", "vec", "i64", "cube"), List.copyOf(s.names()));
            for (String n : List.of("f32", "f16", "bf16", "f64")) assertEquals(value(3, 4), s.readMatrix(n), n);
            assertEquals(List.of("float32", "float16", "bfloat16", "float64"),
                    List.of(s.dtype("f32"), s.dtype("f16"), s.dtype("bf16"), s.dtype("f64")));
            assertEquals(value(1, 5), s.readMatrix("vec"), "a 1-D tensor is one row");
            assertArrayEquals(new long[] {2, 3, 2}, s.shape("cube"));
            mentions(assertThrows(CheckpointException.class, () -> s.readMatrix("i64")), "dtypes.pt", "'i64'", "int64", "cannot be read");
            mentions(assertThrows(CheckpointException.class, () -> s.readMatrix("cube")), "'cube'", "2-D", "[2, 3, 2]");
            mentions(assertThrows(CheckpointException.class, () -> s.readMatrix("nope")), "no tensor named 'nope'");
        }
    }

    @Test void nonContiguousViewsOfOneStorageGiveTheRightMatrices() throws Exception {
        Matrix base = value(4, 6);
        try (TorchStore s = TorchStore.open(path("views.pt"))) {
            assertEquals(base, s.readMatrix("base"));
            assertEquals(base, s.readMatrix("tied"), "a second name for the same tensor");
            assertEquals(base.transpose(), s.readMatrix("t"), "base.t(): stride (1, 6)");
            assertArrayEquals(new long[] {6, 4}, s.shape("t"));
            assertEquals(new Matrix(1, 6, java.util.Arrays.copyOfRange(base.data(), 12, 18)), s.readMatrix("row"), "base[2]: offset 12");
            Matrix cols = s.readMatrix("cols"), step = s.readMatrix("step");
            assertEquals(4, cols.rows());
            assertEquals(3, cols.cols());
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 3; j++) assertEquals(base.get(i, j + 1), cols.get(i, j), "base[:, 1:4]");
            assertEquals(2, step.rows());
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++) assertEquals(base.get(2 * i, 3 * j), step.get(i, j), "base[::2, ::3]");
        }
        // one storage entry backs all six tensors
        assertEquals(1, TorchFixtures.entries("views.pt").keySet().stream().filter(n -> n.contains("/data/")).count());
    }

    @Test void aMemoPast256EntriesUsesLongBinputAndLongBinget() throws Exception {
        try (TorchStore s = TorchStore.open(path("many.pt"))) {
            assertEquals(81, s.names().size());
            Matrix last = s.readMatrix("layers.79.w");
            for (int j = 0; j < 2; j++) assertEquals(value(1, 2).get(0, j) + 79, last.get(0, j));
            assertEquals(last, s.readMatrix("alias"), "the alias is a LONG_BINGET of the memoized tensor");
        }
    }

    @Test void findsTheStateDictInsideTrainingCheckpoints() throws Exception {
        for (String f : List.of("nested-model.pt", "nested-state_dict.pt"))
            try (TorchStore s = TorchStore.open(path(f))) {
                assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight"), List.copyOf(s.names()), f + ": the model, not the optimizer state");
                assertArrayEquals(new long[] {3, 4}, s.shape("fc1.weight"));
                assertEquals(2, s.readMatrix("fc2.weight").rows());
            }
    }

    @Test void readsProtocol5ParametersAndUntypedStorages() throws Exception {
        try (TorchStore s = TorchStore.open(path("protocol5.pt"))) {
            assertEquals(value(2, 3), s.readMatrix("w"), "an nn.Parameter (_rebuild_parameter)");
            assertEquals("float8_e4m3fn", s.dtype("f8"));
            assertArrayEquals(new long[] {2, 2}, s.shape("f8"));
            assertEquals("uint16", s.dtype("u16"));
            mentions(assertThrows(CheckpointException.class, () -> s.readMatrix("f8")), "'f8'", "float8_e4m3fn", "cannot be read");
        }
    }

    @Test void theOtherTorchFormatsAreRefusedWithAdvice() {
        mentions(assertThrows(CheckpointException.class, () -> TorchStore.open(path("legacy.pt"))),
                "legacy.pt", "legacy torch.save format", "torch >= 1.6", "safetensors");
        mentions(assertThrows(CheckpointException.class, () -> TorchStore.open(path("torchscript.pt"))),
                "torchscript.pt", "TorchScript", "state_dict()");
    }

    @Test void picklesThatWouldRunCodeAreRefusedByNameAndNothingRuns() {
        Path marker = Path.of("geocont-pwned");
        assertFalse(Files.exists(marker));
        mentions(assertThrows(CheckpointException.class, () -> TorchStore.open(path("malicious-os-system.pt"))),
                "malicious-os-system.pt", "archive/data.pkl", "global posix.system is refused");
        mentions(assertThrows(CheckpointException.class, () -> TorchStore.open(path("malicious-eval.pkl"))),
                "malicious-eval.pkl", "global builtins.eval is refused");
        assertFalse(Files.exists(marker), "the payload would have created " + marker.toAbsolutePath());
    }

    @Test void acceptsTorchNamesAndZipContentButNotOtherFormats() throws Exception {
        assertTrue(TorchStore.accepts(Path.of("x/pytorch_model.bin")));
        assertTrue(TorchStore.accepts(Path.of("x/pytorch_model.bin.index.json")));
        assertTrue(TorchStore.accepts(Path.of("ckpt.pth")));
        assertFalse(TorchStore.accepts(Path.of("x/model.safetensors.index.json")));
        assertFalse(TorchStore.accepts(Path.of("x/model.onnx")));
        Path noSuffix = Files.createTempFile("torch-", ".weights");
        try {
            Files.write(noSuffix, TorchFixtures.bytes("views.pt"));
            assertTrue(TorchStore.accepts(noSuffix), "torch.save needs no extension: sniffed as a zip");
            try (TorchStore s = TorchStore.open(noSuffix)) {
                assertEquals(6, s.names().size());
            }
            Files.write(noSuffix, TorchFixtures.bytes("legacy.pt"));
            assertTrue(TorchStore.accepts(noSuffix), "a pickle stream is taken too, to be refused with its reason");
        } finally {
            Files.delete(noSuffix);
        }
    }
}
