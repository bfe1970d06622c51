package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import simil.backend.Backends;
import simil.backend.cpu.CpuBackend;
import simil.tensor.Backend;
import simil.tensor.Capability;
import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/**
 * The real GPU through {@link CudaRuntimeGpu}: memory and copies both ways, a kernel launch, cuBLAS's products and
 * cuDNN's convolutions against the CPU, the algorithm cache, running out of memory, what it says of itself. Skipped,
 * saying why, on a machine with no usable GPU (no CUDA driver, as on the machines without a GPU this is built on).
 */
class CudaRuntimeGpuTest {
    private static final String PROBLEM = CudaAvailability.problem(0);
    private static CudaRuntimeGpu gpu;
    private static ByteBuffer host;

    @BeforeAll
    static void open() {
        if (PROBLEM != null) {
            System.out.println("CudaRuntimeGpuTest skipped: no CUDA driver or GPU on this machine (" + PROBLEM + ")");
            return;
        }
        gpu = CudaRuntimeGpu.open(0);
        host = gpu.allocateHost(1 << 22);
    }

    @BeforeEach
    void onAGpu() {
        assumeTrue(PROBLEM == null, "skipped: no CUDA driver or GPU on this machine (" + PROBLEM + ")");
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.freeHost(host);
            gpu.close();
        }
    }

    private static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static long upload(float[] values) {
        long address = gpu.allocate(4L * values.length);
        host.asFloatBuffer().put(0, values);
        gpu.copyToDevice(host, 0, address, 4L * values.length);
        gpu.synchronize();
        return address;
    }

    private static float[] download(long address, int n) {
        gpu.copyToHost(address, host, 0, 4L * n);
        gpu.synchronize();
        float[] out = new float[n];
        host.asFloatBuffer().get(0, out);
        return out;
    }

    @Test
    void copiesBothWaysZeroAndPinnedBuffers() {
        ByteBuffer pinned = gpu.allocateHost(4096);
        assertTrue(pinned.isDirect());
        assertEquals(ByteOrder.nativeOrder(), pinned.order());
        assertEquals(4096, pinned.capacity());
        float[] values = random(1, 1024);
        long a = upload(values), b = gpu.allocate(4096);
        gpu.copyOnDevice(a, b, 4096);
        gpu.zero(a + 1024, 1024);
        gpu.copyToHost(b, pinned, 0, 4096);
        gpu.synchronize();
        float[] copied = new float[1024];
        pinned.asFloatBuffer().get(0, copied);
        assertArrayEquals(values, copied, "device to device, then to the host");
        float[] zeroed = download(a, 1024);
        for (int i = 0; i < 1024; i++) assertEquals(i >= 256 && i < 512 ? 0f : values[i], zeroed[i], "element " + i);
        // An offset into the host buffer, both ways.
        gpu.copyToDevice(pinned, 2048, a, 2048);
        gpu.copyToHost(a, pinned, 1024, 8);
        gpu.synchronize();
        assertEquals(values[512], pinned.getFloat(1024));
        assertEquals(values[513], pinned.getFloat(1028));
        gpu.free(a);
        gpu.free(b);
        gpu.freeHost(pinned);
        assertThrows(IllegalArgumentException.class, () -> gpu.freeHost(ByteBuffer.allocateDirect(8)));
    }

    @Test
    void runningOutOfMemoryReturnsZeroAndLeavesTheGpuWorking() {
        assertEquals(0, gpu.allocate(1L << 50), "a petabyte");
        long address = gpu.allocate(1 << 20);
        assertNotEquals(0, address);
        gpu.zero(address, 1 << 20);
        gpu.synchronize();
        gpu.free(address);
        CudaBackend backend = CudaBackend.open(0);
        String message = assertThrows(IllegalStateException.class, () -> backend.zeros(1 << 20, 1 << 20)).getMessage();
        assertTrue(message.startsWith("out of GPU memory: "), message);
        Tensor t = backend.fromArray(new float[] {1, 2, 3}, 3);
        assertArrayEquals(new float[] {1, 2, 3}, backend.toArray(t));
        t.close();
    }

    @Test
    void aKernelLaunchComputesOnTheGpu() {
        Backend gpuBackend = CudaBackend.open(0), cpu = CpuBackend.get();
        float[] x = random(2, 10_000), y = random(3, 10_000);
        Tensor gx = gpuBackend.fromArray(x, x.length), gy = gpuBackend.fromArray(y, y.length);
        Tensor cx = cpu.fromArray(x, x.length), cy = cpu.fromArray(y, y.length);
        gpuBackend.tensors().axpy(0.5f, gx, gy);
        cpu.tensors().axpy(0.5f, cx, cy);
        assertArrayEquals(cpu.toArray(cy), gpuBackend.toArray(gy), 1e-6f);
        gpuBackend.tensors().fill(gx, 2.5f);
        for (float v : gpuBackend.toArray(gx)) assertEquals(2.5f, v);
        for (Tensor t : List.of(gx, gy, cx, cy)) t.close();
    }

    @Test
    void anUnknownKernelIsOneLineNamingIt() {
        String message = assertThrows(IllegalStateException.class,
                () -> gpu.launch(new Kernel("no_such_kernel"), Launch.of(1, 32), new KernelArgs())).getMessage();
        assertTrue(message.startsWith("cuModuleGetFunction(no_such_kernel): CUDA_ERROR_NOT_FOUND") && message.lines().count() == 1, message);
    }

    /** Column-major C = alpha·op(A)·op(B) + beta·C per matrix of a batch, in double. */
    private static double[] gemmReference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int lda, int sa,
                                          float[] b, int ldb, int sb, float beta, float[] c, int ldc, int sc, int batch) {
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) out[i] = c[i];
        for (int p = 0; p < batch; p++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    for (int l = 0; l < k; l++) {
                        double av = ta ? a[p * sa + i * lda + l] : a[p * sa + l * lda + i];
                        double bv = tb ? b[p * sb + l * ldb + j] : b[p * sb + j * ldb + l];
                        sum += av * bv;
                    }
                    int at = p * sc + j * ldc + i;
                    out[at] = alpha * sum + beta * c[at];
                }
            }
        }
        return out;
    }

    /**
     * Tolerance per element for a sum of k products of unit normals in the arithmetic SIMIL_CUDA_MATH names, against
     * a reference in double ({@code fp32Unit} 1e-6) or the CPU backend's float32 (1e-5: its Winograd path rounds more).
     */
    private static double tolerance(int k, double fp32Unit) {
        double unit = switch (CudaMath.fromEnvironment()) {
            case FP32 -> fp32Unit;
            case TF32 -> 1e-3;
            case BF16 -> 1e-2;
        };
        return unit * 4 * Math.sqrt(k) + 1e-6;
    }

    @Test
    void gemmMatchesTheCpuBatchedOrNotTransposedOrNot() {
        int m = 37, n = 29, k = 53;
        for (int batch : new int[] {1, 3}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int lda = (ta ? k : m) + 3, ldb = (tb ? n : k) + 1, ldc = m + 2;
                    int sa = lda * (ta ? m : k) + 5, sb = ldb * (tb ? k : n) + 7, sc = ldc * n + 11;
                    float[] a = random(10, sa * batch), b = random(11, sb * batch), c = random(12, sc * batch);
                    long da = upload(a), db = upload(b), dc = upload(c);
                    gpu.gemm(ta, tb, m, n, k, 0.75f, da, lda, sa, db, ldb, sb, 0.5f, dc, ldc, sc, batch);
                    float[] got = download(dc, c.length);
                    double[] want = gemmReference(ta, tb, m, n, k, 0.75f, a, lda, sa, b, ldb, sb, 0.5f, c, ldc, sc, batch);
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], tolerance(k, 1e-6), "batch " + batch + " ta " + ta + " tb " + tb + " element " + i);
                    }
                    gpu.free(da);
                    gpu.free(db);
                    gpu.free(dc);
                }
            }
        }
    }

    @Test
    void convolutionsMatchTheCpuAndTheirAlgorithmsAreFoundOncePerShape() {
        Backend cpu = CpuBackend.get();
        for (Conv2dShape s : List.of(new Conv2dShape(2, 3, 9, 9, 4, 3, 3, 1, 1), new Conv2dShape(3, 4, 8, 8, 6, 3, 3, 2, 0),
                new Conv2dShape(2, 5, 7, 6, 3, 1, 1, 1, 0), new Conv2dShape(1, 3, 16, 16, 8, 5, 5, 2, 2))) {
            int xs = s.batch() * s.inChannels() * s.height() * s.width(), ws = s.outChannels() * s.inChannels() * s.kernelH() * s.kernelW();
            int ys = s.batch() * s.outChannels() * s.outHeight() * s.outWidth();
            float[] x = random(20, xs), w = random(21, ws), dy = random(22, ys), dw0 = random(23, ws);
            Tensor cx = cpu.fromArray(x, s.batch(), s.inChannels(), s.height(), s.width());
            Tensor cw = cpu.fromArray(w, s.outChannels(), s.inChannels(), s.kernelH(), s.kernelW());
            Tensor cdy = cpu.fromArray(dy, s.batch(), s.outChannels(), s.outHeight(), s.outWidth());
            Tensor cy = cpu.zeros(cdy.shape()), cdx = cpu.zeros(cx.shape()), cdw = cpu.fromArray(dw0, cw.shape());
            cpu.conv().conv2dForward(s, cx, cw, null, cy);
            cpu.conv().conv2dBackwardData(s, cdy, cw, cdx);
            cpu.conv().conv2dBackwardWeights(s, cx, cdy, cdw, null);

            long gx = upload(x), gw = upload(w), gdy = upload(dy), gy = upload(random(24, ys)), gdx = upload(random(25, xs));
            long gdw = upload(dw0), gdwFresh = upload(random(26, ws));
            int cachedBefore = gpu.convolutions().cachedShapes();
            for (int pass = 0; pass < 2; pass++) {
                gpu.convForward(s, gx, gw, gy);
                gpu.convBackwardData(s, gdy, gw, gdx);
            }
            gpu.convBackwardFilter(s, gx, gdy, 1f, gdw);
            gpu.convBackwardFilter(s, gx, gdy, 0f, gdwFresh);
            assertEquals(cachedBefore + 1, gpu.convolutions().cachedShapes(), "one plan per shape, however often it runs: " + s);
            for (int algorithm : gpu.convolutions().algorithms(s)) assertTrue(algorithm >= 0, "every direction found its algorithm");

            int k = s.inChannels() * s.kernelH() * s.kernelW();
            assertClose("y " + s, cpu.toArray(cy), download(gy, ys), tolerance(k, 1e-5));
            assertClose("dx " + s, cpu.toArray(cdx), download(gdx, xs), tolerance(s.outChannels() * s.kernelH() * s.kernelW(), 1e-5));
            float[] dwAccumulated = cpu.toArray(cdw), dwOnly = new float[ws];
            for (int i = 0; i < ws; i++) dwOnly[i] = dwAccumulated[i] - dw0[i];
            int perWeight = s.batch() * s.outHeight() * s.outWidth();
            assertClose("dw += " + s, dwAccumulated, download(gdw, ws), tolerance(perWeight, 1e-5));
            assertClose("dw = " + s, dwOnly, download(gdwFresh, ws), tolerance(perWeight, 1e-5));
            for (long address : new long[] {gx, gw, gdy, gy, gdx, gdw, gdwFresh}) gpu.free(address);
            for (Tensor t : List.of(cx, cw, cdy, cy, cdx, cdw)) t.close();
        }
        Conv2dShape again = new Conv2dShape(2, 3, 9, 9, 4, 3, 3, 1, 1);
        int cached = gpu.convolutions().cachedShapes();
        long x = gpu.allocate(4L * 2 * 3 * 9 * 9), w = gpu.allocate(4L * 4 * 3 * 3 * 3), y = gpu.allocate(4L * 2 * 4 * 9 * 9);
        gpu.convForward(again, x, w, y);
        gpu.convForward(again.withBatch(1), x, w, y);
        gpu.synchronize();
        assertEquals(cached + 1, gpu.convolutions().cachedShapes(), "a shape seen before is cached; another batch size is a new shape");
        for (long address : new long[] {x, w, y}) gpu.free(address);
    }

    private static void assertClose(String what, float[] want, float[] got, double tolerance) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], tolerance, what + " element " + i);
    }

    @Test
    void itDescribesItselfAndOpensThroughTheRegistry() {
        assertEquals("cuda:0", gpu.name());
        assertTrue(gpu.description().matches(".+ \\(sm_\\d+, \\d+ GiB\\); driver \\d+\\.\\d+, runtime \\d+\\.\\d+, cuBLAS \\d+\\.\\d+\\.\\d+, "
                + "cuDNN 9\\.\\d+\\.\\d+; (fp32|tf32|bf16) math"), gpu.description());
        assertEquals(List.of("gpu", "compute_capability", "gpu_memory_bytes", "cuda_driver", "cuda_runtime", "cublas", "cudnn", "cuda_math"),
                List.copyOf(gpu.details().keySet()));
        assertTrue(gpu.capabilities().contains(Capability.TENSOR_CORES) && gpu.capabilities().contains(Capability.BF16));
        Backend backend = Backends.open("cuda");
        assertEquals("cuda:0", backend.device().name());
        assertTrue(backend.supports(Capability.TENSOR_CORES));
        assertTrue(Backends.available().contains("cuda:0"), Backends.available().toString());
        int count = CudaBackend.devices().size();
        String message = assertThrows(IllegalArgumentException.class, () -> Backends.open("cuda:" + (count + 5))).getMessage();
        assertTrue(message.startsWith("no GPU cuda:" + (count + 5) + " on this machine") && message.lines().count() == 1, message);
    }
}
