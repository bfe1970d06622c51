package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;

import simil.tensor.Capability;
import simil.tensor.ConvOps.Conv2dShape;

/**
 * What the CUDA backend needs from one GPU, and nothing more: device memory, pinned host memory, copies and kernel
 * launches in the order of one stream, cuBLAS's matrix products and cuDNN's convolutions. {@link CudaRuntimeGpu}
 * does it through JavaCPP's cudart, driver API, cuBLAS and cuDNN; {@link EmulatedGpu} runs the same kernels
 * (kernels/*.cu, compiled for the host) on the CPU, so that every op of {@link CudaBackend} is tested on machines
 * without a GPU. Addresses are device addresses in bytes; every call is in stream order and may return before it
 * has run, except {@link #synchronize()}.
 */
public interface Gpu extends AutoCloseable {
    /** How {@code --device} names it: {@code cuda:0}. */
    String name();

    /** For logs: {@code NVIDIA H200 (sm_90, 139 GiB); driver 13.0, runtime 13.0, cuBLAS 13.1.0, cuDNN 9.19.0}. */
    String description();

    /** What a run's provenance records of it (GPU name, compute capability, library versions), in a stable order. */
    Map<String, String> details();

    /** What it can do beyond float32: tensor cores and bf16 from compute capability 8.0 on. */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /** {@code bytes} of device memory (aligned to 256 bytes), not initialized. */
    long allocate(long bytes);

    /** Returns memory from {@link #allocate}; ops called before that still use it run first. */
    void free(long address);

    /** Pinned host memory, direct and in native byte order. */
    ByteBuffer allocateHost(long bytes);

    /** Returns a buffer from {@link #allocateHost}, once nothing in flight reads or writes it. */
    void freeHost(ByteBuffer buffer);

    /** Copies {@code bytes} from {@code src[srcOffset ..]} (pinned) to device memory; {@code src} must stay unchanged until it has run. */
    void copyToDevice(ByteBuffer src, long srcOffset, long dst, long bytes);

    /** Copies {@code bytes} of device memory to {@code dst[dstOffset ..]} (pinned); the values are there after {@link #synchronize()}. */
    void copyToHost(long src, ByteBuffer dst, long dstOffset, long bytes);

    /** Copies {@code bytes} between device addresses. */
    void copyOnDevice(long src, long dst, long bytes);

    /** Sets {@code bytes} of device memory to zero. */
    void zero(long address, long bytes);

    /** Waits until everything called so far has run; a failure of any of it surfaces here at the latest. */
    void synchronize();

    /** Launches one of our kernels (kernels/*.cu) on the stream. */
    void launch(Kernel kernel, Launch launch, KernelArgs args);

    /**
     * cuBLAS's strided-batched sgemm, column-major as cuBLAS defines it: for each of {@code batch} matrices,
     * C = alpha·op(A)·op(B) + beta·C with op(A) m×k, op(B) k×n, C m×n, leading dimensions in elements and strides
     * between matrices in elements; {@code a}, {@code b}, {@code c} are device addresses of the first elements.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long strideA,
              long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch);

    /** y = conv(x, w) over NCHW float32 tensors, cross-correlation as PyTorch's conv2d, no bias. */
    void convForward(Conv2dShape s, long x, long w, long y);

    /** dx = the gradient of {@link #convForward} with respect to x (overwrites dx). */
    void convBackwardData(Conv2dShape s, long dy, long w, long dx);

    /** dw = beta·dw + the gradient of {@link #convForward} with respect to w ({@code beta} 0 or 1). */
    void convBackwardFilter(Conv2dShape s, long x, long dy, float beta, long dw);

    /** Frees what the GPU object holds (handles, the stream, cached workspaces); device memory is freed by the backend first. */
    @Override
    void close();
}
