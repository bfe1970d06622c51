package simil.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The CUDA backend's caching allocator: blocks come in size classes (rounded up to 512 bytes, and by at most an
 * eighth above that), and a closed tensor's block goes back to the free list of its class, to be handed out again
 * without cudaMalloc's synchronization. Reuse is safe on one stream: an op that allocates after a free is queued
 * after every op that used the block. When the device runs out, every cached block is freed and the request retried.
 */
final class GpuAllocator {
    private final Gpu gpu;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private final Map<Long, Long> sizeOf = new HashMap<>();
    private long cachedBytes;
    private long liveBytes;

    GpuAllocator(Gpu gpu) {
        this.gpu = gpu;
    }

    /** The size a request of {@code bytes} gets. */
    static long sizeClass(long bytes) {
        long n = Math.max(512, (bytes + 511) / 512 * 512);
        long granule = Math.max(512, Long.highestOneBit(n) >>> 3);
        return (n + granule - 1) / granule * granule;
    }

    /** A block of at least {@code bytes}, not initialized. */
    long allocate(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<Long> list = free.get(size);
        Long cached = list == null ? null : list.poll();
        long address;
        if (cached != null) {
            cachedBytes -= size;
            address = cached;
        } else {
            address = gpu.allocate(size);
            if (address == 0) {
                releaseCached();
                address = gpu.allocate(size);
            }
            if (address == 0) {
                throw new IllegalStateException("out of GPU memory: " + size + " bytes wanted, " + liveBytes + " in use by tensors");
            }
            sizeOf.put(address, size);
        }
        liveBytes += size;
        return address;
    }

    /** Takes a block back into its free list. */
    void free(long address) {
        Long size = sizeOf.get(address);
        if (size == null) throw new IllegalArgumentException("not a block of this allocator: 0x" + Long.toHexString(address));
        liveBytes -= size;
        cachedBytes += size;
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
    }

    /** Frees every cached block on the device. */
    void releaseCached() {
        for (ArrayDeque<Long> list : free.values()) {
            for (Long address : list) {
                gpu.free(address);
                sizeOf.remove(address);
            }
        }
        free.clear();
        cachedBytes = 0;
    }

    long cachedBytes() { return cachedBytes; }

    long liveBytes() { return liveBytes; }
}
