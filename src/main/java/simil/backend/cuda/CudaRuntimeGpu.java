package simil.backend.cuda;

import static simil.backend.cuda.CudaStatus.check;
import static simil.backend.cuda.CudaStatus.checkBlas;
import static simil.backend.cuda.CudaStatus.checkDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;

import simil.tensor.Capability;
import simil.tensor.ConvOps.Conv2dShape;

/**
 * One GPU through JavaCPP's CUDA preset: device memory by cudaMalloc, pinned host memory by cudaHostAlloc, copies,
 * memsets and our kernels (the fatbin kernels/build.sh makes, loaded with cuModuleLoadData, launched with
 * cuLaunchKernel) in the order of one non-blocking stream, cuBLAS's products and cuDNN's convolutions
 * ({@link CudnnConvolutions}) on that stream, in the arithmetic {@code SIMIL_CUDA_MATH} names ({@link CudaMath}).
 * Every status is checked ({@link CudaStatus}); a kernel's failure surfaces at the next {@link #synchronize()}.
 */
final class CudaRuntimeGpu implements Gpu {
    /** Dynamic shared memory a launch gets without opting in (cuFuncSetAttribute). */
    private static final int DEFAULT_SHARED_BYTES = 48 << 10;
    /** The GPU the CUDA runtime and cuBLAS, cuDNN calls of each thread go to (cudaSetDevice is per thread). */
    private static final ThreadLocal<int[]> CURRENT = ThreadLocal.withInitial(() -> new int[] {-1});

    private final int index;
    private final CudaMath math;
    private final CUstream_st stream = new CUstream_st();
    private final CUmod_st module = new CUmod_st();
    private final cublasContext blas = new cublasContext();
    private CudnnConvolutions convolutions;
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    /** Each kernel's dynamic shared memory opted into beyond {@link #DEFAULT_SHARED_BYTES}. */
    private final Map<String, Integer> sharedOptIn = new HashMap<>();
    private final KernelParams params = new KernelParams();
    private final Set<ByteBuffer> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
    // One pointer per argument position, re-aimed per call; alpha and beta of cuBLAS, read on the host at the call.
    private final Address dst = new Address(), src = new Address(), a = new Address(), b = new Address(), c = new Address();
    private final FloatPointer alpha = new FloatPointer(1f), beta = new FloatPointer(0f);
    private final String description;
    private final Map<String, String> details;
    private final Set<Capability> capabilities;

    /** GPU {@code index}, or an IllegalArgumentException of one line saying why it cannot be opened here. */
    static CudaRuntimeGpu open(int index) {
        String problem = CudaAvailability.problem(index);
        if (problem != null) throw new IllegalArgumentException(problem);
        CudaMath math = CudaMath.fromEnvironment();
        try {
            return new CudaRuntimeGpu(index, math);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("cuda:" + index + " does not open: " + e.getMessage(), e);
        }
    }

    private CudaRuntimeGpu(int index, CudaMath math) {
        this.index = index;
        this.math = math;
        try {
            bind();
            checkDriver(cudart.cuInit(0), "cuInit");
            check(cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
            loadKernels();
            checkBlas(cublas.cublasCreate_v2(blas), "cublasCreate");
            checkBlas(cublas.cublasSetStream_v2(blas, stream), "cublasSetStream");
            convolutions = new CudnnConvolutions(this, stream, math);

            int[] device = {0}, major = {0}, minor = {0}, driver = {0}, runtime = {0}, blasVersion = {0};
            byte[] name = new byte[256];
            checkDriver(cudart.cuDeviceGet(device, index), "cuDeviceGet");
            checkDriver(cudart.cuDeviceGetName(name, name.length, device[0]), "cuDeviceGetName");
            check(cudart.cudaDeviceGetAttribute(major, cudart.cudaDevAttrComputeCapabilityMajor, index), "cudaDeviceGetAttribute");
            check(cudart.cudaDeviceGetAttribute(minor, cudart.cudaDevAttrComputeCapabilityMinor, index), "cudaDeviceGetAttribute");
            check(cudart.cudaDriverGetVersion(driver), "cudaDriverGetVersion");
            check(cudart.cudaRuntimeGetVersion(runtime), "cudaRuntimeGetVersion");
            checkBlas(cublas.cublasGetVersion_v2(blas, blasVersion), "cublasGetVersion");
            long memory;
            try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
                check(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo");
                memory = total.get();
            }
            String gpuName = cString(name);
            String cc = major[0] + "." + minor[0];
            String driverVersion = driver[0] / 1000 + "." + driver[0] % 1000 / 10;
            String runtimeVersion = runtime[0] / 1000 + "." + runtime[0] % 1000 / 10;
            String blasText = blasVersion[0] / 10000 + "." + blasVersion[0] / 100 % 100 + "." + blasVersion[0] % 100;
            long dnn = cudnn.cudnnGetVersion();
            String dnnText = dnn / 10000 + "." + dnn / 100 % 100 + "." + dnn % 100;
            this.description = gpuName + " (sm_" + major[0] + minor[0] + ", " + Math.round(memory / (double) (1L << 30)) + " GiB); driver "
                    + driverVersion + ", runtime " + runtimeVersion + ", cuBLAS " + blasText + ", cuDNN " + dnnText + "; " + math.label() + " math";
            Map<String, String> d = new LinkedHashMap<>();
            d.put("gpu", gpuName);
            d.put("compute_capability", cc);
            d.put("gpu_memory_bytes", Long.toString(memory));
            d.put("cuda_driver", driverVersion);
            d.put("cuda_runtime", runtimeVersion);
            d.put("cublas", blasText);
            d.put("cudnn", dnnText);
            d.put("cuda_math", math.label());
            this.details = Collections.unmodifiableMap(d);
            this.capabilities = 10 * major[0] + minor[0] >= 80
                    ? Collections.unmodifiableSet(EnumSet.of(Capability.TENSOR_CORES, Capability.BF16))
                    : Set.of();
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException during) {
                e.addSuppressed(during);
            }
            throw e;
        }
    }

    /** The fatbin from the class path into a module of the current context. */
    private void loadKernels() {
        byte[] image;
        try (InputStream in = CudaRuntimeGpu.class.getResourceAsStream(CudaAvailability.FATBIN)) {
            if (in == null) throw new IllegalStateException("no " + CudaAvailability.FATBIN.substring(1) + " on the class path");
            image = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + CudaAvailability.FATBIN.substring(1), e);
        }
        try (BytePointer data = new BytePointer(image)) {
            checkDriver(cudart.cuModuleLoadData(module, data), "cuModuleLoadData (simil.fatbin, " + image.length + " bytes)");
        }
    }

    /** Makes this GPU the calling thread's current device, once per thread. */
    private void bind() {
        int[] current = CURRENT.get();
        if (current[0] != index) {
            check(cudart.cudaSetDevice(index), "cudaSetDevice(" + index + ")");
            current[0] = index;
        }
    }

    @Override public String name() { return "cuda:" + index; }

    @Override public String description() { return description; }

    @Override public Map<String, String> details() { return details; }

    @Override public Set<Capability> capabilities() { return capabilities; }

    @Override
    public long allocate(long bytes) {
        bind();
        Address p = new Address();
        int status = cudart.cudaMalloc(p, bytes);
        if (status == cudart.cudaErrorMemoryAllocation) {
            cudart.cudaGetLastError(); // clears it, so that the next call does not report it
            return 0;
        }
        check(status, "cudaMalloc");
        return p.address();
    }

    @Override
    public void free(long address) {
        bind();
        check(cudart.cudaFree(dst.at(address)), "cudaFree");
    }

    @Override
    public ByteBuffer allocateHost(long bytes) {
        if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException(bytes + " bytes of pinned memory in one buffer");
        bind();
        Address p = new Address();
        int status = cudart.cudaHostAlloc(p, Math.max(1, bytes), cudart.cudaHostAllocDefault);
        if (status == cudart.cudaErrorMemoryAllocation) {
            cudart.cudaGetLastError();
            throw new IllegalStateException("out of pinned host memory: " + bytes + " bytes wanted");
        }
        check(status, "cudaHostAlloc");
        ByteBuffer buffer = Address.buffer(p.address(), bytes);
        pinned.add(buffer);
        return buffer;
    }

    @Override
    public void freeHost(ByteBuffer buffer) {
        if (!pinned.remove(buffer)) throw new IllegalArgumentException("not pinned by " + name() + ": " + buffer);
        bind();
        check(cudart.cudaFreeHost(src.at(Address.of(buffer))), "cudaFreeHost");
    }

    @Override
    public void copyToDevice(ByteBuffer source, long sourceOffset, long destination, long bytes) {
        long host = hostAddress(source, sourceOffset, bytes);
        bind();
        check(cudart.cudaMemcpyAsync(dst.at(destination), src.at(host), bytes, cudart.cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync (to the GPU)");
    }

    @Override
    public void copyToHost(long source, ByteBuffer destination, long destinationOffset, long bytes) {
        long host = hostAddress(destination, destinationOffset, bytes);
        bind();
        check(cudart.cudaMemcpyAsync(dst.at(host), src.at(source), bytes, cudart.cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync (to the host)");
    }

    @Override
    public void copyOnDevice(long source, long destination, long bytes) {
        bind();
        check(cudart.cudaMemcpyAsync(dst.at(destination), src.at(source), bytes, cudart.cudaMemcpyDeviceToDevice, stream), "cudaMemcpyAsync (on the GPU)");
    }

    @Override
    public void zero(long address, long bytes) {
        bind();
        check(cudart.cudaMemsetAsync(dst.at(address), 0, bytes, stream), "cudaMemsetAsync");
    }

    @Override
    public void synchronize() {
        bind();
        check(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    @Override
    public void launch(Kernel kernel, Launch launch, KernelArgs args) {
        bind();
        CUfunc_st f = function(kernel.name());
        if (launch.sharedBytes() > DEFAULT_SHARED_BYTES && launch.sharedBytes() > sharedOptIn.getOrDefault(kernel.name(), 0)) {
            checkDriver(cudart.cuFuncSetAttribute(f, cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, launch.sharedBytes()),
                    "cuFuncSetAttribute(" + kernel.name() + ", " + launch.sharedBytes() + " bytes of dynamic shared memory)");
            sharedOptIn.put(kernel.name(), launch.sharedBytes());
        }
        int status = cudart.cuLaunchKernel(f, launch.gridX(), launch.gridY(), launch.gridZ(), launch.blockX(), launch.blockY(),
                launch.blockZ(), launch.sharedBytes(), stream, params.of(args), (PointerPointer<?>) null);
        if (status != cudart.CUDA_SUCCESS) checkDriver(status, "cuLaunchKernel(" + kernel.name() + ", " + launch + ")");
    }

    /** The kernel called {@code name} in the module, looked up once. */
    private CUfunc_st function(String name) {
        CUfunc_st f = functions.get(name);
        if (f == null) {
            f = new CUfunc_st();
            checkDriver(cudart.cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
            functions.put(name, f);
        }
        return f;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alphaValue, long aAddress, int lda, long strideA,
                     long bAddress, int ldb, long strideB, float betaValue, long cAddress, int ldc, long strideC, int batch) {
        bind();
        alpha.put(0, alphaValue);
        beta.put(0, betaValue);
        int opA = transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, opB = transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int status = batch == 1
                ? cublas.cublasGemmEx(blas, opA, opB, m, n, k, alpha, a.at(aAddress), cudart.CUDA_R_32F, lda,
                        b.at(bAddress), cudart.CUDA_R_32F, ldb, beta, c.at(cAddress), cudart.CUDA_R_32F, ldc,
                        math.blasCompute, cublas.CUBLAS_GEMM_DEFAULT)
                : cublas.cublasGemmStridedBatchedEx(blas, opA, opB, m, n, k, alpha, a.at(aAddress), cudart.CUDA_R_32F, lda, strideA,
                        b.at(bAddress), cudart.CUDA_R_32F, ldb, strideB, beta, c.at(cAddress), cudart.CUDA_R_32F, ldc, strideC,
                        batch, math.blasCompute, cublas.CUBLAS_GEMM_DEFAULT);
        if (status != cublas.CUBLAS_STATUS_SUCCESS) checkBlas(status, batch == 1 ? "cublasGemmEx" : "cublasGemmStridedBatchedEx");
    }

    @Override
    public void convForward(Conv2dShape s, long x, long w, long y) {
        bind();
        convolutions.forward(s, x, w, y);
    }

    @Override
    public void convBackwardData(Conv2dShape s, long dy, long w, long dx) {
        bind();
        convolutions.backwardData(s, dy, w, dx);
    }

    @Override
    public void convBackwardFilter(Conv2dShape s, long x, long dy, float betaValue, long dw) {
        bind();
        convolutions.backwardFilter(s, x, dy, betaValue, dw);
    }

    /** The convolutions' algorithm cache, for tests. */
    CudnnConvolutions convolutions() { return convolutions; }

    /** The address of {@code bytes} from {@code offset} of a direct buffer, checked against its capacity. */
    private static long hostAddress(ByteBuffer buffer, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset + bytes > buffer.capacity()) {
            throw new IndexOutOfBoundsException(bytes + " bytes at " + offset + " of a buffer of " + buffer.capacity());
        }
        return Address.of(buffer) + offset;
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** Frees what this holds: cuDNN's and cuBLAS's handles, the module, the stream, pinned buffers still out. */
    @Override
    public void close() {
        if (!stream.isNull()) bind();
        if (convolutions != null) convolutions.close();
        convolutions = null;
        if (!blas.isNull()) cublas.cublasDestroy_v2(blas);
        blas.setNull();
        if (!module.isNull()) cudart.cuModuleUnload(module);
        module.setNull();
        for (ByteBuffer buffer : pinned) cudart.cudaFreeHost(src.at(Address.of(buffer)));
        pinned.clear();
        if (!stream.isNull()) cudart.cudaStreamDestroy(stream);
        stream.setNull();
        alpha.close();
        beta.close();
    }
}
