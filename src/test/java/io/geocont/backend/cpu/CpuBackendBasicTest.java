package io.geocont.backend.cpu;

import io.geocont.backend.Activation;
import io.geocont.backend.Backend;
import io.geocont.backend.Backends;
import io.geocont.backend.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CpuBackendBasicTest {
    @Test
    void aClosedTensorIsRefusedByOpsAndCopies() {
        // as on a device, where its memory is gone: a use after close is a clear error, not a silent read
        try (CpuBackend be = new CpuBackend(1)) {
            Tensor a = be.fromArray(new float[] {1, 2, 3, 4}, 4), b = be.zeros(4);
            a.close();
            a.close(); // twice is fine
            IllegalStateException op = assertThrows(IllegalStateException.class, () -> be.copy(a, b));
            assertTrue(op.getMessage().contains("was closed"), op.getMessage());
            assertThrows(IllegalStateException.class, a::toArray);
            assertThrows(IllegalStateException.class, () -> a.copyFrom(new float[4]));
            assertArrayEquals(new float[4], b.toArray(), "the open operand is untouched");
            assertThrows(IllegalStateException.class, a::hostArrayOrNull);
        }
    }

    @Test
    void theHostArrayIsTheTensorItself() {
        // what lets the MLP hand its gradients to the monitor without a copy
        try (CpuBackend be = new CpuBackend(1)) {
            Tensor a = be.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
            float[] host = a.hostArrayOrNull();
            assertArrayEquals(new float[] {1, 2, 3, 4}, host);
            be.scale(a, 2f);
            assertArrayEquals(new float[] {2, 4, 6, 8}, host, "an op's result is visible in it");
        }
    }


    @Test
    void openedByNameThroughServiceLoader() {
        try (Backend b = Backends.open("cpu", null)) {
            assertEquals("cpu", b.name());
            assertInstanceOf(CpuBackend.class, b);
        }
    }

    @Test
    void smallMatmulMatchesHandResult() {
        try (CpuBackend b = new CpuBackend(2)) {
            Tensor a = b.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor x = b.fromArray(new float[]{7, 8, 9, 10, 11, 12}, 3, 2);
            Tensor c = b.fromArray(new float[]{Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 2, 2);
            b.matmul(false, false, 1f, a, x, 0f, c);
            assertArrayEquals(new float[]{58, 64, 139, 154}, c.toArray());
        }
    }

    @Test
    void reluBiasResidualForward() {
        try (CpuBackend b = new CpuBackend(1)) {
            Tensor z = b.fromArray(new float[]{-1, 2, 3, -4}, 2, 2);
            Tensor bias = b.fromArray(new float[]{0.5f, -1}, 2);
            Tensor res = b.fromArray(new float[]{10, 10, 10, 10}, 2, 2);
            Tensor out = b.zeros(2, 2);
            b.biasActForward(z, bias, Activation.RELU, 0f, res, out);
            assertArrayEquals(new float[]{-0.5f, 1, 3.5f, -5}, z.toArray());
            assertArrayEquals(new float[]{10, 11, 13.5f, 10}, out.toArray());
        }
    }

    @Test
    void shapeMismatchNamesTheOp() {
        try (CpuBackend b = new CpuBackend(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.matmul(false, false, 1f, b.zeros(2, 3), b.zeros(4, 2), 0f, b.zeros(2, 2)));
            assertTrue(e.getMessage().contains("matmul"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.add(b.zeros(3), b.zeros(4), b.zeros(3)));
            assertTrue(e.getMessage().startsWith("add:"), e.getMessage());
        }
    }
}
