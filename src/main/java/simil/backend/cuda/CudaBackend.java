package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import simil.tensor.AbstractBackend;
import simil.tensor.ActivationOps;
import simil.tensor.AttentionOps;
import simil.tensor.BlasOps;
import simil.tensor.Capability;
import simil.tensor.CodebookOps;
import simil.tensor.ConvOps;
import simil.tensor.DType;
import simil.tensor.Device;
import simil.tensor.DeviceMemory;
import simil.tensor.LossOps;
import simil.tensor.NormOps;
import simil.tensor.OptimOps;
import simil.tensor.PairScoringOps;
import simil.tensor.RandomOps;
import simil.tensor.StagingBuffer;
import simil.tensor.Storage;
import simil.tensor.Tensor;
import simil.tensor.TensorOps;

/**
 * Tensors in GPU memory from a caching allocator ({@link GpuAllocator}); matrix products by cuBLAS, convolutions by
 * cuDNN, everything else by our kernels (kernels/*.cu), all in the order of one stream. Host reads wait for the
 * stream ({@link #toArray}, {@link #synchronize()}). The {@link Gpu} underneath is a real one
 * ({@link CudaRuntimeGpu}) or the emulator that runs the same kernels on the CPU ({@link EmulatedGpu}).
 */
public final class CudaBackend extends AbstractBackend {
    private static final Map<Integer, CudaBackend> OPEN = new HashMap<>();

    private final Gpu gpu;
    private final int deviceIndex;
    private final GpuAllocator allocator;
    private final KernelArgs args = new KernelArgs();
    private final Device device;
    /** Pinned memory for host arrays going in or out; grown as needed. */
    private ByteBuffer scratch;
    /** Host arrays waiting for a copy to the host to finish ({@link #copyToHostAsync}), in scratch order. */
    private final List<PendingCopy> pending = new ArrayList<>();
    private long pendingBytes;
    /** The int32 word kernels raise a {@link DeviceCheck}'s code in, and its pinned copy that every synchronize reads. */
    private final Tensor failures;
    private final ByteBuffer failureRead;
    /** Device memory for the partial results inside one op ({@link #workspace}). */
    private long workspace;
    private long workspaceBytes;

    private final BlasOps blas = new CudaBlasOps(this);
    private final TensorOps tensors = new CudaTensorOps(this);
    private final ActivationOps activations = new CudaActivationOps(this);
    private final ConvOps conv = new CudaConvOps(this);
    private final NormOps norms = new CudaNormOps(this);
    private final AttentionOps attention = new CudaAttentionOps(this);
    private final LossOps losses = new CudaLossOps(this);
    private final OptimOps optim = new CudaOptimOps(this);
    private final PairScoringOps pairScoring = new CudaPairScoringOps(this);
    private final CodebookOps codebooks = new CudaCodebookOps(this);
    private final RandomOps random = new CudaRandomOps(this);

    private record PendingCopy(float[] dst, int offset, int count, long scratchOffset) {}

    /** The one backend over our emulator ({@link #emulated()}), made on first use. */
    private static CudaBackend emulated;

    CudaBackend(Gpu gpu, int deviceIndex) {
        this.gpu = gpu;
        this.deviceIndex = deviceIndex;
        this.allocator = new GpuAllocator(gpu);
        // INT8_PAIRS: the fused int8 pair kernel (CudaPairScoringOps), so that all-pairs evaluation runs at the
        // precision it defaults to, with the CPU's quantization; tensor cores and bf16 as the GPU reports them.
        Set<Capability> capabilities = EnumSet.of(Capability.INT8_PAIRS);
        capabilities.addAll(gpu.capabilities());
        this.device = new Device(gpu.name(), gpu.description(), capabilities, gpu.details());
        this.failures = intZeros(1);
        this.failureRead = gpu.allocateHost(4);
    }

    /**
     * The CUDA backend over our host emulator ({@link EmulatedGpu}): every op through the same kernels, cuBLAS and
     * cuDNN calls as on a GPU, run on the CPU, for tests on machines without one. One per process; its threads and
     * blocks run in reverse order if the system property {@code simil.cuda.emulator.reverse} is {@code true}.
     */
    public static synchronized CudaBackend emulated() {
        boolean reverse = Boolean.parseBoolean(System.getProperty("simil.cuda.emulator.reverse"));
        if (emulated == null) emulated = new CudaBackend(new EmulatedGpu(EmulatedGpu.DEFAULT_MEMORY_BYTES, reverse), 0);
        return emulated;
    }

    /**
     * The backend of GPU {@code index} through CUDA ({@link CudaRuntimeGpu}), opened once per process; where that GPU
     * cannot be used, an IllegalArgumentException of one line says why ({@link CudaAvailability}).
     */
    public static synchronized CudaBackend open(int index) {
        return OPEN.computeIfAbsent(index, i -> new CudaBackend(CudaRuntimeGpu.open(i), i));
    }

    /** {@code cuda:N} for each GPU of this machine that {@link #open} opens. */
    public static List<String> devices() {
        return CudaAvailability.devices();
    }

    /** The GPU under this backend. */
    Gpu gpu() { return gpu; }

    @Override public String name() { return gpu.name(); }

    @Override public String toString() { return name(); }

    @Override public Device device() { return device; }

    /** The device address of {@code t}'s first element. */
    long pointer(Tensor t) {
        if (!(storage(t) instanceof DeviceMemory memory) || t.backend() != this) {
            throw new IllegalArgumentException("expected a tensor of " + name() + ", got " + t);
        }
        return memory.address() + (long) t.offset() * t.dtype().bytes();
    }

    /** {@link #pointer} of a float32 tensor. */
    long floats(Tensor t) {
        if (t.dtype() != DType.FLOAT32) throw new IllegalArgumentException("expected a float32 tensor, got " + t);
        return pointer(t);
    }

    /** {@link #pointer} of an int32 tensor. */
    long ints(Tensor t) {
        if (t.dtype() != DType.INT32) throw new IllegalArgumentException("expected an int32 tensor, got " + t);
        return pointer(t);
    }

    /** The ops' check that two tensors hold as many elements, as the CPU backend's. */
    static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) throw new IllegalArgumentException("size mismatch: " + a + " vs " + b);
    }

    /** The argument list for the next launch, emptied. */
    KernelArgs args() { return args.clear(); }

    /** The device address of the failure word kernels raise a {@link DeviceCheck#code()} in ({@code int*}). */
    long failureWord() { return ints(failures); }

    /**
     * At least {@code bytes} of device memory for what one op's kernels hand each other (partial sums, per-row
     * losses): the same memory for every op, so it holds nothing from one op to the next (stream order keeps the ops
     * apart). Grown when an op needs more, never shrunk; aligned to 256 bytes.
     */
    long workspace(long bytes) {
        if (bytes > workspaceBytes) {
            if (workspace != 0) allocator.free(workspace);
            workspaceBytes = GpuAllocator.sizeClass(bytes);
            workspace = allocator.allocate(workspaceBytes);
        }
        return workspace;
    }

    /** Launches {@code kernel} with {@code args} (from {@link #args()}). */
    void launch(Kernel kernel, Launch launch, KernelArgs args) {
        gpu.launch(kernel, launch, args);
    }

    @Override
    public Tensor zeros(int... shape) {
        return allocate(DType.FLOAT32, shape);
    }

    @Override
    public Tensor intZeros(int... shape) {
        return allocate(DType.INT32, shape);
    }

    private Tensor allocate(DType dtype, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape");
            n *= d;
        }
        long bytes = Math.max(1, n) * dtype.bytes();
        long address = allocator.allocate(bytes);
        gpu.zero(address, bytes);
        return tensor(new DeviceMemory(deviceIndex, address, GpuAllocator.sizeClass(bytes)), dtype, 0, shape);
    }

    @Override
    protected void release(Storage storage) {
        if (!(storage instanceof DeviceMemory memory)) {
            throw new IllegalArgumentException("the CUDA backend holds no " + storage.getClass().getSimpleName());
        }
        long address = memory.release();
        if (address != -1) allocator.free(address);
    }

    /** Bytes of closed tensors' blocks waiting in the allocator's free lists. */
    long cachedBytes() { return allocator.cachedBytes(); }

    @Override
    public float[] toArray(Tensor t) {
        float[] out = new float[t.size()];
        long bytes = 4L * t.size();
        ByteBuffer host = transferScratch(bytes);
        gpu.copyToHost(floats(t), host, 0, bytes);
        synchronize();
        host.asFloatBuffer().get(0, out);
        return out;
    }

    @Override
    public int[] toIntArray(Tensor t) {
        int[] out = new int[t.size()];
        long bytes = 4L * t.size();
        ByteBuffer host = transferScratch(bytes);
        gpu.copyToHost(ints(t), host, 0, bytes);
        synchronize();
        host.asIntBuffer().get(0, out);
        return out;
    }

    @Override
    public void write(Tensor dst, float[] values) {
        if (values.length != dst.size()) throw new IllegalArgumentException(values.length + " values for " + dst);
        long bytes = 4L * values.length;
        ByteBuffer host = transferScratch(bytes);
        host.asFloatBuffer().put(0, values);
        gpu.copyToDevice(host, 0, floats(dst), bytes);
        synchronize();
    }

    @Override
    public void writeInts(Tensor dst, int[] values) {
        if (values.length != dst.size()) throw new IllegalArgumentException(values.length + " values for " + dst);
        long bytes = 4L * values.length;
        ByteBuffer host = transferScratch(bytes);
        host.asIntBuffer().put(0, values);
        gpu.copyToDevice(host, 0, ints(dst), bytes);
        synchronize();
    }

    /** Waits for the stream, completes the pending copies to the host, then throws what a kernel's check found. */
    @Override
    public void synchronize() {
        gpu.copyToHost(ints(failures), failureRead, 0, 4);
        gpu.synchronize();
        for (PendingCopy copy : pending) {
            scratch.asFloatBuffer().get((int) (copy.scratchOffset() / 4), copy.dst(), copy.offset(), copy.count());
        }
        pending.clear();
        pendingBytes = 0;
        int code = failureRead.getInt(0);
        if (code != 0) {
            gpu.zero(ints(failures), 4);
            failureRead.putInt(0, 0);
            throw DeviceCheck.failure(code);
        }
    }

    @Override
    public void copyToHostAsync(Tensor src, float[] dst, int offset) {
        if (offset < 0 || offset + src.size() > dst.length) throw new IndexOutOfBoundsException(src + " into " + dst.length + " floats at " + offset);
        long bytes = 4L * src.size();
        if (scratch == null || scratch.capacity() < pendingBytes + bytes) synchronize();
        long at = pendingBytes;
        ByteBuffer host = scratch(at + bytes);
        gpu.copyToHost(floats(src), host, at, bytes);
        pending.add(new PendingCopy(dst, offset, src.size(), at));
        pendingBytes = at + bytes;
    }

    @Override
    public StagingBuffer stagingBuffer(int floats) {
        return new CudaStagingBuffer(this, floats);
    }

    @Override
    public void copyIn(StagingBuffer src, Tensor dst) {
        if (!(src instanceof CudaStagingBuffer staging) || staging.backend() != this) {
            throw new IllegalArgumentException("not a staging buffer of " + name() + ": " + src);
        }
        if (dst.size() > staging.capacity()) {
            throw new IllegalArgumentException(dst + " needs " + dst.size() + " floats, the staging buffer holds " + staging.capacity());
        }
        gpu.copyToDevice(staging.pinned(), 0, floats(dst), 4L * dst.size());
        staging.markInFlight();
    }

    /**
     * Scratch for a copy the host waits for: the copies to the host still pending ({@link #copyToHostAsync}) complete
     * first, as they land at the start of scratch too.
     */
    private ByteBuffer transferScratch(long bytes) {
        if (!pending.isEmpty()) synchronize();
        return scratch(bytes);
    }

    /** Pinned scratch of at least {@code bytes}; a larger one replaces it once the stream has drained. */
    private ByteBuffer scratch(long bytes) {
        if (scratch == null || scratch.capacity() < bytes) {
            if (scratch != null) {
                synchronize();
                gpu.freeHost(scratch);
            }
            long size = Math.max(1 << 20, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
            if (size > Integer.MAX_VALUE) throw new IllegalArgumentException(bytes + " bytes in one host copy");
            scratch = gpu.allocateHost(size);
        }
        return scratch;
    }

    @Override public BlasOps blas() { return blas; }
    @Override public TensorOps tensors() { return tensors; }
    @Override public ActivationOps activations() { return activations; }
    @Override public ConvOps conv() { return conv; }
    @Override public NormOps norms() { return norms; }
    @Override public AttentionOps attention() { return attention; }
    @Override public LossOps losses() { return losses; }
    @Override public OptimOps optim() { return optim; }
    @Override public PairScoringOps pairScoring() { return pairScoring; }
    @Override public CodebookOps codebooks() { return codebooks; }
    @Override public RandomOps random() { return random; }
}
