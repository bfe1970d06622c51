package simil.backend.cuda;

import simil.tensor.BlockwiseMasking;
import simil.tensor.RandomOps;
import simil.tensor.Tensor;

/**
 * RandomOps on the GPU: the CPU's counter-based generator ({@link simil.tensor.Rng}) in kernels/random.cu, so a
 * fill gives the CPU's numbers for the same seed (uniform and keepMask bit for bit; normal and truncatedNormal up
 * to the last bit of log and cos, which can tip a float's rounding); blockwise masks in kernels/masking.cu, one
 * thread per image with the CPU's draws.
 */
final class CudaRandomOps implements RandomOps {
    /** Threads per block of the blockwise-mask kernel, one image each. */
    private static final int MASK_THREADS = 64;

    private static final Kernel UNIFORM = Kernel.named("random_uniform");
    private static final Kernel NORMAL = Kernel.named("random_normal");
    private static final Kernel TRUNCATED_NORMAL = Kernel.named("random_truncated_normal");
    private static final Kernel KEEP_MASK = Kernel.named("random_keep_mask");
    private static final Kernel BLOCKWISE_MASK = Kernel.named("masking_blockwise_mask");

    private final CudaBackend backend;

    CudaRandomOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void uniform(Tensor t, float low, float high, long seed) {
        fill(UNIFORM, t, seed, low, high);
    }

    @Override
    public void normal(Tensor t, float mean, float std, long seed) {
        fill(NORMAL, t, seed, mean, std);
    }

    @Override
    public void truncatedNormal(Tensor t, float mean, float std, long seed) {
        fill(TRUNCATED_NORMAL, t, seed, mean, std);
    }

    @Override
    public void keepMask(Tensor mask, float p, long seed) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("drop probability " + p + " not in [0, 1)");
        fill(KEEP_MASK, mask, seed, p, 1f / (1f - p));
    }

    @Override
    public void blockwiseMask(Tensor images, BlockwiseMasking masking, long seed, Tensor mask) {
        int b = images.size(), n = masking.patches();
        mask.requireShape("mask", b, n);
        if (b == 0) return;
        backend.launch(BLOCKWISE_MASK, Launch.of((b + MASK_THREADS - 1) / MASK_THREADS, MASK_THREADS), backend.args()
                .pointer(backend.ints(images)).pointer(backend.ints(mask)).i32(b).i64(seed)
                .i32(masking.height()).i32(masking.width()).i32(masking.target()).i32(masking.minBlock())
                .i64(Double.doubleToRawLongBits(BlockwiseMasking.logMinAspect())));
    }

    /** A kernel (float* t, long long n, long long seed, float a, float b) over t's elements. */
    private void fill(Kernel kernel, Tensor t, long seed, float a, float b) {
        if (t.size() == 0) return;
        backend.launch(kernel, Launch.overElements(t.size()), backend.args()
                .pointer(backend.floats(t)).i64(t.size()).i64(seed).f32(a).f32(b));
    }
}
