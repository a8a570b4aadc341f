package io.geocont.backend.cuda;

import io.geocont.backend.Backend;
import io.geocont.backend.BackendStatus;
import io.geocont.backend.BackendUnavailableException;
import io.geocont.backend.Backends;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** --backend auto falls back to the CPU and says why exactly once; --backend cuda refuses with the reason. */
class BackendSelectionTest {

    @Test
    void autoFallsBackToCpuAndSaysSoOnce() {
        BackendStatus cuda = new CudaBackendProvider().probe();
        assumeFalse(cuda.available(), "CUDA is available here, so auto picks it");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8); Backend b = Backends.open("auto", ps)) {
            assertEquals("cpu", b.name());
        }
        String notes = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, notes.lines().count(), notes);
        assertEquals("backend auto: using cpu (cuda unavailable: " + new CudaBackendProvider().quickProbe().reason() + ")", notes.strip());
    }

    /** auto's quick check may only rule CUDA out sooner: never available where the full probe is not, and the same answer otherwise. */
    @Test
    void quickProbeAgreesWithTheFullProbe() {
        BackendStatus quick = new CudaBackendProvider().quickProbe(), full = new CudaBackendProvider().probe();
        assertEquals(full.available(), quick.available(), quick.reason() + " / " + full.reason());
        if (CudaProbe.driverMissing() != null) { // a machine with no sign of a driver: the quick reason says so and where it looked
            assertTrue(quick.reason().startsWith("no NVIDIA driver: "), quick.reason());
            assertTrue(quick.reason().contains("geocont doctor"), quick.reason());
            assertFalse(full.available(), full.reason());
        } else {
            assertEquals(full.reason(), quick.reason());
        }
    }

    @Test
    void askingForCudaGivesTheReason() {
        BackendStatus cuda = new CudaBackendProvider().probe();
        assumeFalse(cuda.available(), "CUDA is available here");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda", null));
        assertTrue(e.getMessage().contains(cuda.reason()), e.getMessage());
        assertTrue(e.getMessage().contains("geocont doctor"), e.getMessage());
        BackendUnavailableException direct = assertThrows(BackendUnavailableException.class, CudaBackend::new);
        assertTrue(direct.getMessage().startsWith("cuda: "), direct.getMessage());
    }

    @Test
    void probeNeverThrowsAndIsStable() {
        BackendStatus a = new CudaBackendProvider().probe(), b = new CudaBackendProvider().probe();
        assertEquals(a.available(), b.available());
        assertEquals(a.reason(), b.reason());
    }
}
