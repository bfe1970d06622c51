package simil.backend.cpu;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU backend's caching allocator: arrays come in size classes (a request is rounded up by at most an eighth),
 * and a closed tensor's array goes back to the free list of its class, to be zeroed and handed out again instead of
 * left to the garbage collector. At most {@code limitBytes} stay cached; past that, freed arrays are dropped, and all are when the heap
 * runs out.
 */
final class CpuAllocator {
    private final Map<Integer, ArrayDeque<float[]>> freeFloats = new HashMap<>();
    private final Map<Integer, ArrayDeque<int[]>> freeInts = new HashMap<>();
    private final long limitBytes;
    private long cachedBytes;

    CpuAllocator(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** The length an array for {@code n} elements gets: n rounded up to a multiple of an eighth of its leading power of two. */
    static int sizeClass(int n) {
        if (n <= 16) return n;
        int granule = Integer.highestOneBit(n) >>> 3;
        long rounded = ((long) n + granule - 1) / granule * granule;
        return rounded > Integer.MAX_VALUE - 8 ? n : (int) rounded;
    }

    /** A zeroed float array of at least {@code n} elements. */
    synchronized float[] floats(int n) {
        int length = sizeClass(n);
        ArrayDeque<float[]> free = freeFloats.get(length);
        float[] a = free == null ? null : free.poll();
        if (a == null) {
            try {
                return new float[length];
            } catch (OutOfMemoryError e) {
                dropAll();
                return new float[length];
            }
        }
        cachedBytes -= 4L * length;
        Arrays.fill(a, 0f);
        return a;
    }

    /** A zeroed int array of at least {@code n} elements. */
    synchronized int[] ints(int n) {
        int length = sizeClass(n);
        ArrayDeque<int[]> free = freeInts.get(length);
        int[] a = free == null ? null : free.poll();
        if (a == null) {
            try {
                return new int[length];
            } catch (OutOfMemoryError e) {
                dropAll();
                return new int[length];
            }
        }
        cachedBytes -= 4L * length;
        Arrays.fill(a, 0);
        return a;
    }

    synchronized void free(float[] a) {
        if (keep(a.length)) freeFloats.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    }

    synchronized void free(int[] a) {
        if (keep(a.length)) freeInts.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    }

    /** Bytes held in the free lists. */
    synchronized long cachedBytes() { return cachedBytes; }

    /** Leaves every cached array to the garbage collector (when the heap runs out). */
    private void dropAll() {
        freeFloats.clear();
        freeInts.clear();
        cachedBytes = 0;
    }

    private boolean keep(int length) {
        if (length == 0 || cachedBytes + 4L * length > limitBytes) return false;
        cachedBytes += 4L * length;
        return true;
    }
}
