package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import simil.backend.natives.NativeLibraries;
import simil.tensor.ConvOps.Conv2dShape;

/**
 * The {@link Gpu} on the CPU, so that the CUDA backend is tested without one: our kernels (kernels/*.cu) compiled
 * for the host by g++ against kernels/emulator/cuda_host.h, each CUDA thread a fiber that switches only at
 * __syncthreads and warp shuffles, blocks one after another (kernels/emulator/launch.cpp); cuBLAS and cuDNN by
 * reference loops (reference.cpp). The stream is a queue that runs at {@link #synchronize()} (and before a
 * {@link #free}), so that the host reading a copy's destination or changing its source before then sees what it
 * would on a GPU (the old values, the new ones copied); a kernel's failure (a deadlock, a misused shuffle) surfaces
 * there, and arguments are checked when a call is queued. It checks what a GPU would leave to a crash or to
 * garbage: that every range a copy, gemm or convolution touches and every pointer a kernel gets lies in one live
 * allocation, and that a launch passes its kernel's parameters in number and kind (pointer, int, long long, float).
 * Fresh memory and shared memory hold NaN, as a GPU's hold garbage. Threads and blocks run in order of their index,
 * or in reverse ({@link #EmulatedGpu(long, boolean)}; system property {@code simil.cuda.emulator.reverse} for
 * {@link CudaBackend#emulated()}): a kernel whose result changes with the order has a race.
 */
final class EmulatedGpu implements Gpu {
    /** Device memory it hands out at most, unless told: a leak fails as running out, not by exhausting the host. */
    static final long DEFAULT_MEMORY_BYTES = 4L << 30;

    static {
        NativeLibraries.load("simil_cuda_emulator");
    }

    private final long memoryBytes;
    private final boolean reverse;
    private final Map<String, Integer> kernels = new ConcurrentHashMap<>();
    private final Set<ByteBuffer> pinned = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    /** Calls made and not yet run, in stream order. */
    private final ArrayDeque<Queued> stream = new ArrayDeque<>();
    private long device;

    EmulatedGpu() {
        this(DEFAULT_MEMORY_BYTES);
    }

    /** An emulated GPU with {@code memoryBytes} of device memory. */
    EmulatedGpu(long memoryBytes) {
        this(memoryBytes, false);
    }

    /** An emulated GPU with {@code memoryBytes} of device memory, running blocks and threads in reverse if {@code reverse}. */
    EmulatedGpu(long memoryBytes, boolean reverse) {
        this.memoryBytes = memoryBytes;
        this.reverse = reverse;
        this.device = create(memoryBytes, reverse);
    }

    @Override public String name() { return "cuda-emulated"; }

    @Override
    public String description() {
        return "host emulator: kernels/*.cu compiled by " + compiler() + " and run on the CPU, cuBLAS and cuDNN by reference loops ("
                + (memoryBytes >> 20) + " MiB" + (reverse ? ", threads and blocks in reverse order" : "") + ")";
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("gpu", "host emulator (kernels/*.cu on the CPU)");
        details.put("compiler", compiler());
        return details;
    }

    @Override
    public long allocate(long bytes) {
        return allocate(open(), bytes);
    }

    @Override
    public synchronized void free(long address) {
        drain();
        free(open(), address);
    }

    /** Bytes of device memory allocated now. */
    long usedBytes() {
        return used(open());
    }

    @Override
    public ByteBuffer allocateHost(long bytes) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("pinned buffer of " + bytes + " bytes");
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        pinned.add(buffer);
        return buffer;
    }

    @Override
    public synchronized void freeHost(ByteBuffer buffer) {
        for (Queued queued : stream) {
            if (queued.host() == buffer) {
                throw new IllegalStateException("freeHost of a pinned buffer that a copy not yet run uses: synchronize first");
            }
        }
        if (!pinned.remove(buffer)) throw new IllegalArgumentException("not a pinned buffer of " + name() + " (freed twice?)");
    }

    @Override
    public void copyToDevice(ByteBuffer src, long srcOffset, long dst, long bytes) {
        long device = open();
        queue(run -> copyToDevice(device, src, srcOffset, dst, bytes, run), src);
    }

    @Override
    public void copyToHost(long src, ByteBuffer dst, long dstOffset, long bytes) {
        long device = open();
        queue(run -> copyToHost(device, src, dst, dstOffset, bytes, run), dst);
    }

    @Override
    public void copyOnDevice(long src, long dst, long bytes) {
        long device = open();
        queue(run -> copyOnDevice(device, src, dst, bytes, run), null);
    }

    @Override
    public void zero(long address, long bytes) {
        long device = open();
        queue(run -> zero(device, address, bytes, run), null);
    }

    @Override
    public synchronized void synchronize() {
        drain();
        String failure = takeFailure(open());
        if (failure != null) throw new IllegalStateException(failure);
    }

    @Override
    public void launch(Kernel kernel, Launch launch, KernelArgs args) {
        long device = open();
        int index = kernels.computeIfAbsent(kernel.name(), EmulatedGpu::kernel);
        if (index < 0) {
            throw new IllegalArgumentException("no kernel " + kernel.name() + " in kernels/*.cu (the emulator's library has " + kernelNames() + ")");
        }
        String params = kernelParams(index), kinds = args.kinds();
        if (!kinds.equals(params)) {
            if (kinds.length() != params.length()) {
                throw new IllegalArgumentException(kernel.name() + " takes " + params.length() + " arguments, got " + kinds.length());
            }
            int i = 0;
            while (kinds.charAt(i) == params.charAt(i)) i++;
            throw new IllegalArgumentException(kernel.name() + ": argument " + i + " is " + kind(params.charAt(i)) + " in kernels/*.cu, "
                    + kind(kinds.charAt(i)) + " in KernelArgs");
        }
        long[] slots = new long[args.count()];  // a launch copies its arguments: the backend reuses its KernelArgs
        args.slots().asLongBuffer().get(0, slots);
        queue(run -> launch(device, index, launch.gridX(), launch.gridY(), launch.gridZ(), launch.blockX(), launch.blockY(),
                            launch.blockZ(), launch.sharedBytes(), slots, run), null);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long strideA,
                     long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch) {
        long device = open();
        queue(run -> gemm(device, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch, run),
              null);
    }

    @Override
    public void convForward(Conv2dShape s, long x, long w, long y) {
        long device = open();
        int[] g = geometry(s);
        queue(run -> convForward(device, g, x, w, y, run), null);
    }

    @Override
    public void convBackwardData(Conv2dShape s, long dy, long w, long dx) {
        long device = open();
        int[] g = geometry(s);
        queue(run -> convBackwardData(device, g, dy, w, dx, run), null);
    }

    @Override
    public void convBackwardFilter(Conv2dShape s, long x, long dy, float beta, long dw) {
        if (beta != 0 && beta != 1) throw new IllegalArgumentException("convBackwardFilter: beta " + beta + ", not 0 or 1");
        long device = open();
        int[] g = geometry(s);
        queue(run -> convBackwardFilter(device, g, x, dy, beta, dw, run), null);
    }

    @Override
    public synchronized void close() {
        if (device == 0) return;
        stream.clear();
        destroy(device);
        device = 0;
    }

    /** A stream call: with {@code run} false it only checks its arguments (throwing what is wrong), with true it runs. */
    private interface Call {
        void make(boolean run);
    }

    /** A call waiting in the stream, and the pinned buffer it copies from or to (null if none). */
    private record Queued(Call call, ByteBuffer host) {}

    private synchronized void queue(Call call, ByteBuffer host) {
        call.make(false);
        stream.add(new Queued(call, host));
    }

    /** Runs the calls queued, in order. */
    private void drain() {
        for (Queued queued; (queued = stream.poll()) != null;) queued.call().make(true);
    }

    private long open() {
        if (device == 0) throw new IllegalStateException(name() + " is closed");
        return device;
    }

    private static String kind(char letter) {
        return switch (letter) {
            case 'p' -> "a pointer";
            case 'i' -> "an int";
            case 'l' -> "a long long";
            default -> "a float";
        };
    }

    private static String kernelNames() {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < kernelCount(); i++) names.append(i == 0 ? "" : ", ").append(kernelName(i));
        return names.length() == 0 ? "none" : names.toString();
    }

    /** The shape's fields and output size as the native side reads them; cuDNN's bad-parameter cases refused. */
    private static int[] geometry(Conv2dShape s) {
        int[] g = {s.batch(), s.inChannels(), s.height(), s.width(), s.outChannels(), s.kernelH(), s.kernelW(), s.stride(),
                s.padding(), s.outHeight(), s.outWidth()};
        for (int i = 0; i < g.length; i++) {
            if (i == 8 ? g[i] < 0 : g[i] < 1) throw new IllegalArgumentException("convolution of bad shape " + s);
        }
        return g;
    }

    private static native long create(long memoryBytes, boolean reverse);
    private static native void destroy(long device);
    private static native String compiler();
    private static native long allocate(long device, long bytes);
    private static native void free(long device, long address);
    private static native long used(long device);
    private static native void copyToDevice(long device, ByteBuffer src, long srcOffset, long dst, long bytes, boolean run);
    private static native void copyToHost(long device, long src, ByteBuffer dst, long dstOffset, long bytes, boolean run);
    private static native void copyOnDevice(long device, long src, long dst, long bytes, boolean run);
    private static native void zero(long device, long address, long bytes, boolean run);
    private static native int kernel(String name);
    private static native int kernelCount();
    private static native String kernelName(int index);
    private static native String kernelParams(int index);
    private static native void launch(long device, int kernel, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                                      int sharedBytes, long[] args, boolean run);
    private static native String takeFailure(long device);
    private static native void gemm(long device, boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda,
                                    long strideA, long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch,
                                    boolean run);
    private static native void convForward(long device, int[] shape, long x, long w, long y, boolean run);
    private static native void convBackwardData(long device, int[] shape, long dy, long w, long dx, boolean run);
    private static native void convBackwardFilter(long device, int[] shape, long x, long dy, float beta, long dw, boolean run);
}
