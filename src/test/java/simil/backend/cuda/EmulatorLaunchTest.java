package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simil.tensor.Tensor;

/**
 * Kernel launches in the host emulator, through the self-test kernels of kernels/emulator_selftest.cu: each CUDA
 * feature our kernels may use gives what it gives on a GPU, and each misuse the emulator can see is reported.
 */
class EmulatorLaunchTest {
    private static final Kernel BLOCK_SUM = Kernel.named("emulator_selftest_block_sum");
    private static final Kernel WARP_SUM = Kernel.named("emulator_selftest_warp_sum");
    private static final Kernel SHUFFLES = Kernel.named("emulator_selftest_shuffles");
    private static final Kernel ATOMICS = Kernel.named("emulator_selftest_atomics");
    private static final Kernel INDEX_3D = Kernel.named("emulator_selftest_index3d");
    private static final Kernel UNWRITTEN_SHARED = Kernel.named("emulator_selftest_unwritten_shared");
    private static final Kernel RACE = Kernel.named("emulator_selftest_race");
    private static final Kernel BARRIERS = Kernel.named("emulator_selftest_barriers");

    private final EmulatedGpu gpu = new EmulatedGpu();
    private final CudaBackend be = new CudaBackend(gpu, 0);

    @AfterEach
    void close() {
        gpu.close();
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = random.nextFloat() * 2 - 1;
        return v;
    }

    private static double[] rowSums(float[] x, int rows, int n) {
        double[] sums = new double[rows];
        for (int i = 0; i < rows * n; i++) sums[i / n] += x[i];
        return sums;
    }

    @Test
    void aBlockReducesOverStaticSharedMemoryWithSyncthreadsBetweenLevels() {
        for (int threads : new int[] {1, 32, 256, 1024}) {
            int rows = 5, n = 1000;
            float[] x = random(rows * n, threads);
            Tensor xs = be.fromArray(x, rows, n), sums = be.zeros(rows);
            be.launch(BLOCK_SUM, Launch.perRow(rows, threads, 0), be.args().pointer(be.floats(xs)).pointer(be.floats(sums)).i32(n));
            float[] got = be.toArray(sums);
            double[] want = rowSums(x, rows, n);
            for (int r = 0; r < rows; r++) assertEquals(want[r], got[r], 1e-4, threads + " threads, row " + r);
        }
    }

    @Test
    void warpsShuffleByXorAndThenWarpZeroAloneShufflesDownOverDynamicSharedMemory() {
        for (int threads : new int[] {32, 96, 512, 1024}) {
            int rows = 3, n = 777, warps = threads / 32;
            float[] x = random(rows * n, threads);
            for (int i = 0; i < x.length; i += 3) x[i] = 0;
            Tensor xs = be.fromArray(x, rows, n), sums = be.zeros(rows), nonzero = be.intZeros(rows);
            be.launch(WARP_SUM, Launch.perRow(rows, threads, 8 * warps),
                      be.args().pointer(be.floats(xs)).pointer(be.floats(sums)).pointer(be.ints(nonzero)).i32(n));
            float[] got = be.toArray(sums);
            int[] counts = be.toIntArray(nonzero);
            double[] want = rowSums(x, rows, n);
            for (int r = 0; r < rows; r++) {
                assertEquals(want[r], got[r], 1e-4, threads + " threads, row " + r);
                int count = 0;
                for (int i = r * n; i < (r + 1) * n; i++) count += x[i] != 0 ? 1 : 0;
                assertEquals(count, counts[r], threads + " threads, nonzero in row " + r);
            }
        }
    }

    @Test
    void eachLaneGetsTheValueOfTheLaneItNamesWithinItsWarp() {
        int blocks = 2, threads = 64;
        Tensor out = be.zeros(4 * blocks * threads);
        be.launch(SHUFFLES, Launch.of(blocks, threads), be.args().pointer(be.floats(out)));
        float[] got = be.toArray(out);
        for (int t = 0; t < blocks * threads; t++) {
            int warp = t - t % 32, lane = t % 32;
            assertEquals(warp + (lane ^ 5), got[4 * t], "xor 5 at " + t);
            assertEquals(lane + 3 < 32 ? t + 3 : t, got[4 * t + 1], "down 3 at " + t);
            assertEquals(warp + (lane ^ 17), got[4 * t + 2], "int xor 17 at " + t);
            assertEquals(lane + 31 < 32 ? t + 31 : t, got[4 * t + 3], "int down 31 at " + t);
        }
    }

    @Test
    void atomicsInAGridStrideLoopSeeEveryElementOnce() {
        int n = 100_003;
        float[] x = random(n, 7);
        for (int i = 0; i < n; i++) x[i] = Math.abs(x[i]);
        x[4242] = 3.5f;
        Tensor xs = be.fromArray(x, n), total = be.zeros(1), count = be.intZeros(1), maxBits = be.intZeros(1), roundtrip = be.zeros(n);
        Tensor indices = be.intZeros(2);  // one unsigned long long
        be.launch(ATOMICS, Launch.of(37, 128), be.args().pointer(be.floats(xs)).i32(n).pointer(be.floats(total)).pointer(be.ints(count))
                .pointer(be.ints(indices)).pointer(be.ints(maxBits)).pointer(be.floats(roundtrip)));
        double sum = 0;
        for (float v : x) sum += v;
        assertEquals(sum, be.toArray(total)[0], 2e-5 * sum, "a float sum in some order");
        assertEquals(n, be.toIntArray(count)[0]);
        int[] wide = be.toIntArray(indices);
        assertEquals((long) n * (n - 1) / 2, (wide[0] & 0xffffffffL) | (long) wide[1] << 32);
        assertEquals(3.5f, Float.intBitsToFloat(be.toIntArray(maxBits)[0]));
        assertArrayEquals(x, be.toArray(roundtrip));
    }

    @Test
    void everyThreadOfA3dGridOf3dBlocksRunsOnceWithItsCoordinates() {
        everyThreadOfA3dGridOf3dBlocksRunsOnceWithItsCoordinates(be);
    }

    private static void everyThreadOfA3dGridOf3dBlocksRunsOnceWithItsCoordinates(CudaBackend be) {
        Launch launch = new Launch(3, 4, 2, 5, 3, 2, 0);
        int threads = 5 * 3 * 2, blocks = 3 * 4 * 2;
        Tensor out = be.intZeros(2 * blocks * threads);  // room for a wrong index to show rather than crash
        be.launch(INDEX_3D, launch, be.args().pointer(be.ints(out)));
        int[] got = be.toIntArray(out);
        for (int i = blocks * threads; i < got.length; i++) assertEquals(0, got[i], "past the last thread at " + i);
        int i = 0;
        for (int bz = 0; bz < 2; bz++) for (int by = 0; by < 4; by++) for (int bx = 0; bx < 3; bx++) {
            for (int tz = 0; tz < 2; tz++) for (int ty = 0; ty < 3; ty++) for (int tx = 0; tx < 5; tx++) {
                assertEquals(tx | ty << 4 | tz << 8 | bx << 12 | by << 16 | bz << 20, got[i], "thread " + i);
                i++;
            }
        }
    }

    @Test
    void sharedMemoryHoldsNaNUntilWrittenStaticArraysPerLaunchDynamicOnesPerBlock() {
        for (int launch = 0; launch < 2; launch++) {
            Tensor out = be.zeros(2 * 128);
            be.launch(UNWRITTEN_SHARED, Launch.of(2, 64).withShared(256), be.args().pointer(be.floats(out)));
            float[] got = be.toArray(out);
            for (int t = 0; t < 64; t++) {
                assertTrue(Float.isNaN(got[t]), "static, block 0, launch " + launch);
                assertTrue(Float.isNaN(got[64 + t]), "dynamic, block 0, launch " + launch);
                assertEquals(1, got[128 + t], "static, block 1 after block 0, launch " + launch);
                assertTrue(Float.isNaN(got[192 + t]), "dynamic, block 1, launch " + launch);
            }
        }
    }

    @Test
    void aRaceBetweenBarriersGivesAnotherResultWhenThreadsRunInReverse() {
        try (EmulatedGpu reversed = new EmulatedGpu(EmulatedGpu.DEFAULT_MEMORY_BYTES, true)) {
            CudaBackend other = new CudaBackend(reversed, 0);
            Tensor forward = be.zeros(64), backward = other.zeros(64);
            be.launch(RACE, Launch.of(1, 64), be.args().pointer(be.floats(forward)));
            other.launch(RACE, Launch.of(1, 64), other.args().pointer(other.floats(backward)));
            float[] ahead = be.toArray(forward), behind = other.toArray(backward);
            for (int t = 0; t < 63; t++) {
                assertTrue(Float.isNaN(ahead[t]), "in order, thread " + t + " reads before thread " + (t + 1) + " writes");
                assertEquals(t + 1, behind[t], "in reverse, thread " + t + " reads after thread " + (t + 1) + " writes");
            }
            assertEquals(0, ahead[63]);
            assertTrue(Float.isNaN(behind[63]));
        }
    }

    @Test
    void inReverseEveryThreadAndBlockStillRunsOnceWithItsCoordinates() {
        try (EmulatedGpu reversed = new EmulatedGpu(EmulatedGpu.DEFAULT_MEMORY_BYTES, true)) {
            everyThreadOfA3dGridOf3dBlocksRunsOnceWithItsCoordinates(new CudaBackend(reversed, 0));
        }
    }

    @Test
    void threadsThatReturnDropOutOfSyncthreads() {
        Tensor out = be.zeros(64);
        be.launch(BARRIERS, Launch.of(1, 64), be.args().pointer(be.floats(out)).i32(0));
        float[] got = be.toArray(out);
        for (int t = 0; t < 32; t++) assertEquals(t + (t ^ 1), got[t], "thread " + t);
        for (int t = 32; t < 64; t++) assertEquals(0, got[t], "thread " + t + " returned at once");
    }

    /** The failure surfaces at the next synchronize, naming the kernel and the block, and the device goes on working. */
    private String failureOf(int mode) {
        Tensor out = be.zeros(64);
        be.launch(BARRIERS, Launch.of(1, 64), be.args().pointer(be.floats(out)).i32(mode));
        String message = assertThrows(IllegalStateException.class, be::synchronize).getMessage();
        assertTrue(message.startsWith("kernel emulator_selftest_barriers, block (0,0,0) of 64 threads: "), message);
        be.synchronize();
        threadsThatReturnDropOutOfSyncthreads();
        return message;
    }

    /** Kernels launched after a failure do not run (a GPU's faulted stream runs nothing more) until the synchronize reports it. */
    @Test
    void nothingRunsAfterAFailureUntilTheSynchronizeThatReportsIt() {
        Tensor failing = be.zeros(64), after = be.zeros(64);
        be.launch(BARRIERS, Launch.of(1, 64), be.args().pointer(be.floats(failing)).i32(1));
        be.launch(BARRIERS, Launch.of(1, 64), be.args().pointer(be.floats(after)).i32(0));
        assertThrows(IllegalStateException.class, be::synchronize);
        assertArrayEquals(new float[64], be.toArray(after), "the launch after the failure ran");
        threadsThatReturnDropOutOfSyncthreads();
    }

    @Test
    void aShuffleWaitingForLanesThatReturnedIsADeadlockNotAHang() {
        String message = failureOf(1);
        StringJoiner even = new StringJoiner(", "), odd = new StringJoiner(", ");
        for (int t = 0; t < 64; t += 2) {
            even.add(String.valueOf(t));
            odd.add(String.valueOf(t + 1));
        }
        assertTrue(message.endsWith("deadlock: threads " + even + " wait at a warp shuffle (it needs all 32 lanes of the warp); threads "
                + odd + " have returned; none can go on"), message);
    }

    @Test
    void threadsWaitingAtDifferentSyncthreadsAreReported() {
        String message = failureOf(2);
        assertTrue(message.matches(".*: threads 0-63 wait at different __syncthreads calls \\(kernels/emulator_selftest.cu:\\d+ and "
                + "kernels/emulator_selftest.cu:\\d+; one barrier, reached by every thread, is what CUDA supports\\)"), message);
    }

    @Test
    void aShuffleOfPartOfAWarpIsRefused() {
        String message = failureOf(3);
        assertTrue(message.endsWith("a warp shuffle with mask 65535: only 0xffffffff (all 32 lanes) is supported"), message);
    }

    @Test
    void aShuffleNeedsBlocksOfWholeWarps() {
        Tensor x = be.zeros(4, 10), sums = be.zeros(4), nonzero = be.intZeros(4);
        be.launch(WARP_SUM, Launch.perRow(4, 48, 16), be.args().pointer(be.floats(x)).pointer(be.floats(sums)).pointer(be.ints(nonzero)).i32(10));
        String message = assertThrows(IllegalStateException.class, be::synchronize).getMessage();
        assertTrue(message.contains("a warp shuffle in a block of 48 threads, not a multiple of 32"), message);
    }

    @Test
    void launchesBeyondCudasLimitsOrOfUnknownKernelsOrWithArgumentsNotTheKernelsParametersFailAtOnce() {
        Tensor x = be.zeros(4, 10), sums = be.zeros(4);
        KernelArgs args = be.args().pointer(be.floats(x)).pointer(be.floats(sums)).i32(10);
        String shared = assertThrows(IllegalArgumentException.class, () -> be.launch(BLOCK_SUM, Launch.perRow(4, 32, 227 * 1024 + 1), args)).getMessage();
        assertTrue(shared.contains("more than 227 KiB of shared memory per block"), shared);
        be.launch(BLOCK_SUM, Launch.perRow(4, 32, 227 * 1024), args);
        String grid = assertThrows(IllegalArgumentException.class, () -> be.launch(BLOCK_SUM, new Launch(1, 65536, 1, 32, 1, 1, 0), args)).getMessage();
        assertTrue(grid.contains("at most 2^31-1 x 65535 x 65535 blocks"), grid);
        String unknown = assertThrows(IllegalArgumentException.class, () -> be.launch(Kernel.named("no_such_kernel"), Launch.of(1, 32), args)).getMessage();
        assertTrue(unknown.startsWith("no kernel no_such_kernel in kernels/*.cu (the emulator's library has "), unknown);
        assertTrue(unknown.contains("emulator_selftest_block_sum"), unknown);
        String count = assertThrows(IllegalArgumentException.class, () -> be.launch(BLOCK_SUM, Launch.of(1, 32), be.args().pointer(be.floats(x)).i32(10))).getMessage();
        assertEquals("emulator_selftest_block_sum takes 3 arguments, got 2", count);
        String kind = assertThrows(IllegalArgumentException.class,
                () -> be.launch(BLOCK_SUM, Launch.of(1, 32), be.args().pointer(be.floats(x)).pointer(be.floats(sums)).f32(10))).getMessage();
        assertEquals("emulator_selftest_block_sum: argument 2 is an int in kernels/*.cu, a float in KernelArgs", kind);
        String wide = assertThrows(IllegalArgumentException.class,
                () -> be.launch(BLOCK_SUM, Launch.of(1, 32), be.args().i64(be.floats(x)).pointer(be.floats(sums)).i32(10))).getMessage();
        assertEquals("emulator_selftest_block_sum: argument 0 is a pointer in kernels/*.cu, a long long in KernelArgs", wide);
        String pointer = assertThrows(IllegalArgumentException.class,
                () -> be.launch(BLOCK_SUM, Launch.of(1, 32), be.args().pointer(be.floats(x)).pointer(12345).i32(10))).getMessage();
        assertTrue(pointer.contains("emulator_selftest_block_sum: argument 1: 0x3039 is not in device memory"), pointer);
        be.synchronize();
    }
}
