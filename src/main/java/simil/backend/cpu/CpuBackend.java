package simil.backend.cpu;

import simil.tensor.ActivationOps;
import simil.tensor.AttentionOps;
import simil.tensor.Backend;
import simil.tensor.BlasOps;
import simil.tensor.ConvOps;
import simil.tensor.DType;
import simil.tensor.LossOps;
import simil.tensor.NormOps;
import simil.tensor.OptimOps;
import simil.tensor.PairScoringOps;
import simil.tensor.RandomOps;
import simil.tensor.Tensor;
import simil.tensor.TensorOps;

/** Tensors in Java arrays; matrix products by OpenBLAS, everything else in Java on a small thread pool. */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    private final BlasOps blas = new CpuBlasOps();
    private final TensorOps tensors = new CpuTensorOps();
    private final ActivationOps activations = new CpuActivationOps();
    private final ConvOps conv = new CpuConvOps(this);
    private final NormOps norms = new CpuNormOps();
    private final AttentionOps attention = new CpuAttentionOps(this);
    private final LossOps losses = new CpuLossOps();
    private final OptimOps optim = new CpuOptimOps();
    private final RandomOps random = new CpuRandomOps();
    private final PairScoringOps pairScoring = new CpuPairScoringOps();

    private CpuBackend() {}

    public static CpuBackend get() { return INSTANCE; }

    /** The float array behind a float32 tensor (read from {@link Tensor#offset()}). */
    static float[] data(Tensor t) {
        if (t.dtype() != DType.FLOAT32) throw new IllegalArgumentException("expected a float32 tensor, got " + t);
        return (float[]) t.storage();
    }

    /** The int array behind an int32 tensor (read from {@link Tensor#offset()}). */
    static int[] ints(Tensor t) {
        if (t.dtype() != DType.INT32) throw new IllegalArgumentException("expected an int32 tensor, got " + t);
        return (int[]) t.storage();
    }

    static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) throw new IllegalArgumentException("size mismatch: " + a + " vs " + b);
    }

    @Override public String name() { return "cpu (OpenBLAS, " + Parallel.threads() + " threads)"; }

    @Override
    public Tensor zeros(int... shape) {
        return new Tensor(this, DType.FLOAT32, new float[count(shape)], 0, shape);
    }

    @Override
    public Tensor intZeros(int... shape) {
        return new Tensor(this, DType.INT32, new int[count(shape)], 0, shape);
    }

    @Override
    public Tensor fromArray(float[] values, int... shape) {
        Tensor t = zeros(shape);
        write(t, values);
        return t;
    }

    @Override
    public Tensor fromIntArray(int[] values, int... shape) {
        Tensor t = intZeros(shape);
        writeInts(t, values);
        return t;
    }

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

    private static int count(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
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
}
