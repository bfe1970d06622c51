package simil.tensor;

import java.nio.FloatBuffer;

/**
 * Host memory that input batches are written into before one copy to the device ({@link Backend#copyIn}): pinned
 * on a GPU, so the copy runs on the backend's stream while the host prepares the next batch. Made by
 * {@link Backend#stagingBuffer}; one per input, reused from step to step.
 */
public interface StagingBuffer {
    /** Floats it holds. */
    int capacity();

    /**
     * The memory to fill, from index 0 (absolute puts; the position is not used). Waits first until the last
     * {@link Backend#copyIn} from this buffer has read it, so a batch is never overwritten in flight.
     */
    FloatBuffer floats();
}
