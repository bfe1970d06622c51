package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Closed tensors' arrays come back zeroed for requests of their size class; the cache stays under its limit. */
class CpuAllocatorTest {
    @Test
    void sizeClassesRoundUpByAtMostAnEighth() {
        assertEquals(7, CpuAllocator.sizeClass(7));
        assertEquals(1024, CpuAllocator.sizeClass(1024));
        assertEquals(1152, CpuAllocator.sizeClass(1025));
        for (int n = 17; n < 100_000; n += 37) {
            int c = CpuAllocator.sizeClass(n);
            assertTrue(c >= n && c <= n + n / 8, n + " -> " + c);
        }
        assertEquals(Integer.MAX_VALUE - 9, CpuAllocator.sizeClass(Integer.MAX_VALUE - 9));
    }

    @Test
    void aFreedArrayIsHandedOutAgainZeroed() {
        CpuAllocator allocator = new CpuAllocator(1 << 20);
        float[] a = allocator.floats(1000);
        a[3] = 5f;
        allocator.free(a);
        assertEquals(4L * a.length, allocator.cachedBytes());
        float[] b = allocator.floats(1010);
        assertSame(a, b, "1000 and 1010 share a size class");
        assertArrayEquals(new float[b.length], b);
        assertEquals(0, allocator.cachedBytes());
        int[] i = allocator.ints(40);
        i[0] = 9;
        allocator.free(i);
        assertArrayEquals(new int[i.length], allocator.ints(40));
    }

    @Test
    void arraysPastTheLimitAreLeftToTheCollector() {
        CpuAllocator allocator = new CpuAllocator(4 * 1500);
        allocator.free(allocator.floats(1000));
        allocator.free(allocator.floats(1000));
        assertEquals(4 * 1024, allocator.cachedBytes());
    }

    @Test
    void closingATensorFeedsTheBackendsCache() {
        CpuBackend be = CpuBackend.get();
        long before = be.cachedBytes();
        be.zeros(12345).close();
        assertTrue(be.cachedBytes() > before);
    }
}
