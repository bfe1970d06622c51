package simil.backend.cpu;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import simil.tensor.AbstractBackend;
import simil.tensor.ActivationOps;
import simil.tensor.AttentionOps;
import simil.tensor.BlasOps;
import simil.tensor.Capability;
import simil.tensor.CodebookOps;
import simil.tensor.ConvOps;
import simil.tensor.DType;
import simil.tensor.Device;
import simil.tensor.HostFloats;
import simil.tensor.HostInts;
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
 * Tensors in Java arrays from a caching allocator ({@link CpuAllocator}); matrix products by OpenBLAS, our native
 * kernels in one instruction set ({@link Isa}), everything else in Java on a small thread pool. Every op has
 * finished when it returns, so the stream is trivially in order and {@link #synchronize()} has nothing to wait for.
 */
public final class CpuBackend extends AbstractBackend {
    private static final Map<Isa, CpuBackend> BY_ISA = new EnumMap<>(Isa.class);

    private final Isa isa;
    /** A quarter of the heap may sit in free lists, ready for the next tensor of its size. */
    private final CpuAllocator allocator = new CpuAllocator(Runtime.getRuntime().maxMemory() / 4);
    private final BlasOps blas = new CpuBlasOps();
    private final TensorOps tensors = new CpuTensorOps();
    private final ActivationOps activations;
    private final ConvOps conv;
    private final NormOps norms;
    private final AttentionOps attention = new CpuAttentionOps(this);
    private final LossOps losses = new CpuLossOps();
    private final OptimOps optim = new CpuOptimOps();
    private final RandomOps random = new CpuRandomOps();
    private final PairScoringOps pairScoring;
    private final CodebookOps codebooks = new CpuCodebookOps(this);
    private final Device device;

    private CpuBackend(Isa isa) {
        this.isa = isa;
        this.activations = new CpuActivationOps(isa);
        this.conv = new CpuConvOps(this);
        this.norms = new CpuNormOps(isa);
        this.pairScoring = new CpuPairScoringOps(isa);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("cpu", Isa.cpuModel());
        details.put("cpu_best_isa", Isa.best().flag());
        details.put("isa", isa.flag());
        details.put("kernels", isa.describe());
        details.put("openblas", NativeBlas.config());
        details.put("openblas_core", NativeBlas.coreName());
        details.put("threads", Integer.toString(Parallel.threads()));
        this.device = new Device("cpu", Isa.cpuModel() + ": " + isa.describe() + "; OpenBLAS " + NativeBlas.coreName() + ", "
                + Parallel.threads() + " threads", isa.int8PairsKernel() != null ? EnumSet.of(Capability.INT8_PAIRS) : EnumSet.noneOf(Capability.class),
                details);
    }

    /** The backend in the selected instruction set ({@link Isa#selected()}: SIMIL_ISA, else the best here). */
    public static CpuBackend get() { return forIsa(Isa.selected()); }

    /** The backend whose native kernels run in {@code isa}, which this CPU must run. */
    public static synchronized CpuBackend forIsa(Isa isa) {
        if (!isa.runsHere()) throw new IllegalArgumentException("this CPU does not run " + isa.flag() + " kernels");
        return BY_ISA.computeIfAbsent(isa, CpuBackend::new);
    }

    /** The instruction set of this backend's native kernels. */
    public Isa isa() { return isa; }

    /**
     * The CPU: {@code AMD EPYC 9R14: avx512 kernels, int8 pairs: avx512 vnni; OpenBLAS SkylakeX, 2 threads},
     * int8 pair scoring where this ISA has a copy of the kernel.
     */
    @Override
    public Device device() { return device; }

    /** The float array behind a float32 tensor (read from {@link Tensor#offset()}). */
    static float[] data(Tensor t) {
        if (t.dtype() != DType.FLOAT32 || !(storage(t) instanceof HostFloats floats)) {
            throw new IllegalArgumentException("expected a float32 tensor in host memory, got " + t);
        }
        return floats.array();
    }

    /** The int array behind an int32 tensor (read from {@link Tensor#offset()}). */
    static int[] ints(Tensor t) {
        if (t.dtype() != DType.INT32 || !(storage(t) instanceof HostInts ints)) {
            throw new IllegalArgumentException("expected an int32 tensor in host memory, got " + t);
        }
        return ints.array();
    }

    static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) throw new IllegalArgumentException("size mismatch: " + a + " vs " + b);
    }

    @Override public String toString() { return name(); }

    @Override public String name() { return "cpu (" + isa.flag() + ", OpenBLAS, " + Parallel.threads() + " threads)"; }

    @Override
    public Tensor zeros(int... shape) {
        return tensor(new HostFloats(allocator.floats(count(shape))), DType.FLOAT32, 0, shape);
    }

    @Override
    public Tensor intZeros(int... shape) {
        return tensor(new HostInts(allocator.ints(count(shape))), DType.INT32, 0, shape);
    }

    @Override
    protected void release(Storage storage) {
        if (storage instanceof HostFloats floats) allocator.free(floats.release());
        else if (storage instanceof HostInts ints) allocator.free(ints.release());
        else throw new IllegalArgumentException("the CPU backend holds no " + storage.getClass().getSimpleName());
    }

    /** Bytes of closed tensors' arrays waiting in the allocator's free lists. */
    long cachedBytes() { return allocator.cachedBytes(); }

    @Override
    public float[] toArray(Tensor t) {
        float[] out = new float[t.size()];
        System.arraycopy(data(t), t.offset(), out, 0, t.size());
        return out;
    }

    @Override
    public int[] toIntArray(Tensor t) {
        int[] out = new int[t.size()];
        System.arraycopy(ints(t), t.offset(), out, 0, t.size());
        return out;
    }

    @Override
    public void write(Tensor dst, float[] values) {
        if (values.length != dst.size()) throw new IllegalArgumentException(values.length + " values for " + dst);
        System.arraycopy(values, 0, data(dst), dst.offset(), values.length);
    }

    @Override
    public void writeInts(Tensor dst, int[] values) {
        if (values.length != dst.size()) throw new IllegalArgumentException(values.length + " values for " + dst);
        System.arraycopy(values, 0, ints(dst), dst.offset(), values.length);
    }

    @Override
    public void synchronize() {
        // Every op has finished when it returns.
    }

    @Override
    public void copyToHostAsync(Tensor src, float[] dst, int offset) {
        System.arraycopy(data(src), src.offset(), dst, offset, src.size());
    }

    @Override
    public StagingBuffer stagingBuffer(int floats) {
        return new CpuStagingBuffer(floats);
    }

    @Override
    public void copyIn(StagingBuffer src, Tensor dst) {
        if (!(src instanceof CpuStagingBuffer staging)) throw new IllegalArgumentException("not a CPU staging buffer: " + src);
        if (dst.size() > staging.capacity()) {
            throw new IllegalArgumentException(dst + " needs " + dst.size() + " floats, the staging buffer holds " + staging.capacity());
        }
        staging.floats().get(0, data(dst), dst.offset(), dst.size());
    }

    private static int count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large");
        return (int) n;
    }

    @Override public BlasOps blas() { return blas; }
    @Override public TensorOps tensors() { return tensors; }
    @Override public ActivationOps activations() { return activations; }
    @Override public ConvOps conv() { return conv; }
    @Override public NormOps norms() { return norms; }
    @Override public AttentionOps attention() { return attention; }
    @Override public LossOps losses() { return losses; }
    @Override public OptimOps optim() { return optim; }
    @Override public RandomOps random() { return random; }
    @Override public PairScoringOps pairScoring() { return pairScoring; }
    @Override public CodebookOps codebooks() { return codebooks; }
}
