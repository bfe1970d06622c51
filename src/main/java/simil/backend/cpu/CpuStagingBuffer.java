package simil.backend.cpu;

import java.nio.FloatBuffer;
import simil.tensor.StagingBuffer;

/** The CPU's staging buffer: a Java array (every copy-in has finished when it returns, so nothing waits). */
final class CpuStagingBuffer implements StagingBuffer {
    private final FloatBuffer floats;

    CpuStagingBuffer(int capacity) {
        this.floats = FloatBuffer.wrap(new float[capacity]);
    }

    @Override public int capacity() { return floats.capacity(); }
    @Override public FloatBuffer floats() { return floats; }
}
