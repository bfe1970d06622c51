package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simil.tensor.Tensor;

/**
 * The emulated GPU's memory and stream: a limit that makes the allocator's retry testable, ranges checked as a GPU would
 * not, and calls that run at the synchronize.
 */
class EmulatedMemoryTest {
    private final EmulatedGpu gpu = new EmulatedGpu(1 << 20);
    private final CudaBackend be = new CudaBackend(gpu, 0);

    @AfterEach
    void close() {
        gpu.close();
    }

    @Test
    void allocationsAreAlignedAndBeyondTheLimitReturnZero() {
        long before = gpu.usedBytes();  // the backend's own
        long a = gpu.allocate(1000), b = gpu.allocate(1);
        assertEquals(0, a % 256);
        assertEquals(0, b % 256);
        assertEquals(before + 1024 + 256, gpu.usedBytes());
        assertEquals(0, gpu.allocate((1 << 20) - 1024));
        gpu.free(a);
        String twice = assertThrows(IllegalArgumentException.class, () -> gpu.free(a)).getMessage();
        assertTrue(twice.endsWith(", which is not an allocation (freed twice?)"), twice);
        gpu.free(b);
        assertEquals(before, gpu.usedBytes());
    }

    @Test
    void theAllocatorFreesItsCacheAndRetriesWhenTheDeviceRunsOut() {
        long before = gpu.usedBytes();
        Tensor big = be.zeros(200_000);
        big.close();
        assertEquals(GpuAllocator.sizeClass(800_000), be.cachedBytes());
        Tensor other = be.fromArray(new float[] {1, 2, 3}, 3);
        Tensor half = be.zeros(100_000);
        assertEquals(0, be.cachedBytes(), "the cached block was freed for the new one");
        assertEquals(before + GpuAllocator.sizeClass(400_000) + GpuAllocator.sizeClass(12), gpu.usedBytes());
        assertArrayEquals(new float[] {1, 2, 3}, be.toArray(other));
        String out = assertThrows(IllegalStateException.class, () -> be.zeros(200_000)).getMessage();
        assertTrue(out.startsWith("out of GPU memory: "), out);
        half.close();
    }

    @Test
    void theStreamRunsAtSynchronizeAsAGpuMightSoTheHostSeesCopiesOnlyThen() {
        long d = gpu.allocate(16), e = gpu.allocate(16);
        ByteBuffer in = gpu.allocateHost(16), out = gpu.allocateHost(16);
        in.putInt(0, 7);
        gpu.copyToDevice(in, 0, d, 16);
        in.putInt(0, 8);  // before the copy has run: on a GPU it may be copied, here it is
        gpu.copyToHost(d, out, 0, 16);
        assertEquals(0, out.getInt(0), "not there before the synchronize");
        String inFlight = assertThrows(IllegalStateException.class, () -> gpu.freeHost(out)).getMessage();
        assertEquals("freeHost of a pinned buffer that a copy not yet run uses: synchronize first", inFlight);
        gpu.synchronize();
        assertEquals(8, out.getInt(0));
        gpu.copyOnDevice(d, e, 16);
        gpu.free(d);  // the copy from d runs first
        gpu.copyToHost(e, out, 0, 16);
        gpu.synchronize();
        assertEquals(8, out.getInt(0));
        gpu.freeHost(in);
        gpu.freeHost(out);
        gpu.free(e);
    }

    @Test
    void copiesRoundTripAndMayNotLeaveTheirAllocation() {
        long d = gpu.allocate(64), e = gpu.allocate(64);
        ByteBuffer host = gpu.allocateHost(128);
        for (int i = 0; i < 128; i++) host.put(i, (byte) i);
        gpu.copyToDevice(host, 16, d, 64);
        gpu.copyOnDevice(d, e, 64);
        gpu.zero(e, 8);
        gpu.copyToHost(e, host, 0, 64);
        gpu.synchronize();
        for (int i = 0; i < 64; i++) assertEquals(i < 8 ? 0 : 16 + i, host.get(i), "byte " + i);
        String past = assertThrows(IllegalArgumentException.class, () -> gpu.copyToDevice(host, 0, d + 200, 100)).getMessage();
        assertTrue(past.startsWith("copyToDevice: 100 bytes at 0x") && past.contains(" run past the end of the allocation of 256 bytes at "), past);
        String nowhere = assertThrows(IllegalArgumentException.class, () -> gpu.copyToHost(8, host, 0, 4)).getMessage();
        assertEquals("copyToHost: 0x8 is not in device memory", nowhere);
        String hostPast = assertThrows(IllegalArgumentException.class, () -> gpu.copyToHost(d, host, 100, 64)).getMessage();
        assertEquals("64 bytes at 100 of a pinned buffer of 128", hostPast);
        gpu.freeHost(host);
        assertThrows(IllegalArgumentException.class, () -> gpu.freeHost(host));
    }
}
