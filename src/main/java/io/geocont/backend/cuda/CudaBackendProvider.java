package io.geocont.backend.cuda;

import io.geocont.backend.Backend;
import io.geocont.backend.BackendProvider;
import io.geocont.backend.BackendStatus;
import io.geocont.backend.BackendUnavailableException;

/** Registers the CUDA backend (rank 100: preferred by "auto" when it can run). */
public final class CudaBackendProvider implements BackendProvider {
    @Override public String name() { return "cuda"; }

    @Override public int rank() { return 100; }

    @Override public BackendStatus probe() { return CudaProbe.status(); }

    /** No NVIDIA driver, no CUDA: said without loading the runtime and the math libraries (~0.2 s). */
    @Override public BackendStatus quickProbe() {
        String noDriver = CudaProbe.driverMissing();
        return noDriver != null ? BackendStatus.unavailable("cuda", noDriver) : probe();
    }

    @Override public Backend create() {
        try {
            return new CudaBackend();
        } catch (CudaException | IllegalStateException e) { // e.g. cudaSetDevice failed: auto falls back with this reason
            throw new BackendUnavailableException("cuda: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new BackendUnavailableException("cuda: a CUDA binding could not be linked: " + e, e);
        }
    }
}
