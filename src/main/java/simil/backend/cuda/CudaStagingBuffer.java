package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import simil.tensor.StagingBuffer;

/**
 * A staging buffer in pinned host memory: a batch written here goes to the GPU in one copy on the stream
 * ({@link CudaBackend#copyIn}); writing the next one waits until that copy has run.
 */
final class CudaStagingBuffer implements StagingBuffer {
    private final CudaBackend backend;
    private final ByteBuffer pinned;
    private final FloatBuffer floats;
    private boolean inFlight;

    CudaStagingBuffer(CudaBackend backend, int capacity) {
        this.backend = backend;
        this.pinned = backend.gpu().allocateHost(4L * Math.max(1, capacity));
        this.floats = pinned.asFloatBuffer();
    }

    CudaBackend backend() { return backend; }

    ByteBuffer pinned() { return pinned; }

    void markInFlight() { inFlight = true; }

    @Override public int capacity() { return floats.capacity(); }

    @Override
    public FloatBuffer floats() {
        if (inFlight) {
            backend.synchronize();
            inFlight = false;
        }
        return floats;
    }
}
