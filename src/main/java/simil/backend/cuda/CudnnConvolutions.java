package simil.backend.cuda;

import static simil.backend.cuda.CudaStatus.checkDnn;

import java.util.HashMap;
import java.util.Map;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;

import simil.tensor.ConvOps.Conv2dShape;

/**
 * cuDNN's convolutions on the GPU's stream: NCHW float32, cross-correlation, through cuDNN's legacy convolution API
 * (still in cuDNN 9, which marks it deprecated in favour of its graph API). Each shape gets its descriptors once, and
 * each of its three directions the algorithm cuDNN's benchmark finds fastest (cudnnFind*Algorithm), found the first
 * time it runs and kept ({@link #plans}). One workspace serves every algorithm, grown to the largest need so far.
 */
@SuppressWarnings("deprecation")
final class CudnnConvolutions implements AutoCloseable {
    /** A shape's descriptors, and per direction its algorithm (-1 until found) and workspace bytes. */
    private static final class Plan {
        final cudnnTensorStruct x = new cudnnTensorStruct(), y = new cudnnTensorStruct();
        final cudnnFilterStruct w = new cudnnFilterStruct();
        final cudnnConvolutionStruct conv = new cudnnConvolutionStruct();
        int forward = -1, backwardData = -1, backwardFilter = -1;
        long forwardBytes, backwardDataBytes, backwardFilterBytes;
    }

    private final Gpu gpu;
    private final cudnnContext handle = new cudnnContext();
    private final int mathType;
    private final Map<Conv2dShape, Plan> plans = new HashMap<>();
    private final FloatPointer one = new FloatPointer(1f), beta = new FloatPointer(0f);
    private final Address in = new Address(), weights = new Address(), out = new Address(), scratch = new Address();
    private long workspace;
    private long workspaceBytes;

    /** A cuDNN handle bound to {@code stream} on the current device; the workspace comes from {@code gpu}. */
    CudnnConvolutions(Gpu gpu, CUstream_st stream, CudaMath math) {
        this.gpu = gpu;
        this.mathType = math.dnnMath;
        checkDnn(cudnn.cudnnCreate(handle), "cudnnCreate");
        checkDnn(cudnn.cudnnSetStream(handle, stream), "cudnnSetStream");
    }

    /** y = conv(x, w). An empty batch has nothing to compute (and cuDNN refuses descriptors of it). */
    void forward(Conv2dShape s, long x, long w, long y) {
        if (s.batch() == 0) return;
        Plan p = plan(s);
        if (p.forward < 0) findForward(s, p);
        beta.put(0, 0f);
        checkDnn(cudnn.cudnnConvolutionForward(handle, one, p.x, in.at(x), p.w, weights.at(w), p.conv, p.forward,
                workspace(p.forwardBytes), p.forwardBytes, beta, p.y, out.at(y)), "cudnnConvolutionForward");
    }

    /** dx = the gradient of {@link #forward} with respect to x. */
    void backwardData(Conv2dShape s, long dy, long w, long dx) {
        if (s.batch() == 0) return;
        Plan p = plan(s);
        if (p.backwardData < 0) findBackwardData(s, p);
        beta.put(0, 0f);
        checkDnn(cudnn.cudnnConvolutionBackwardData(handle, one, p.w, weights.at(w), p.y, out.at(dy), p.conv, p.backwardData,
                workspace(p.backwardDataBytes), p.backwardDataBytes, beta, p.x, in.at(dx)), "cudnnConvolutionBackwardData");
    }

    /** dw = beta·dw + the gradient of {@link #forward} with respect to w. */
    void backwardFilter(Conv2dShape s, long x, long dy, float betaValue, long dw) {
        if (s.batch() == 0) {
            if (betaValue == 0f) gpu.zero(dw, 4L * s.outChannels() * s.inChannels() * s.kernelH() * s.kernelW());
            return;
        }
        Plan p = plan(s);
        if (p.backwardFilter < 0) findBackwardFilter(s, p);
        beta.put(0, betaValue);
        checkDnn(cudnn.cudnnConvolutionBackwardFilter(handle, one, p.x, in.at(x), p.y, out.at(dy), p.conv, p.backwardFilter,
                workspace(p.backwardFilterBytes), p.backwardFilterBytes, beta, p.w, weights.at(dw)), "cudnnConvolutionBackwardFilter");
    }

    /** How many shapes have their descriptors (and some of their algorithms) cached. */
    int cachedShapes() {
        return plans.size();
    }

    /** The algorithms found for {@code s} so far, forward, backward-data, backward-filter (-1: not yet). */
    int[] algorithms(Conv2dShape s) {
        Plan p = plans.get(s);
        return p == null ? new int[] {-1, -1, -1} : new int[] {p.forward, p.backwardData, p.backwardFilter};
    }

    private Plan plan(Conv2dShape s) {
        Plan p = plans.get(s);
        if (p != null) return p;
        p = new Plan();
        try {
            checkDnn(cudnn.cudnnCreateTensorDescriptor(p.x), "cudnnCreateTensorDescriptor");
            checkDnn(cudnn.cudnnCreateTensorDescriptor(p.y), "cudnnCreateTensorDescriptor");
            checkDnn(cudnn.cudnnCreateFilterDescriptor(p.w), "cudnnCreateFilterDescriptor");
            checkDnn(cudnn.cudnnCreateConvolutionDescriptor(p.conv), "cudnnCreateConvolutionDescriptor");
            checkDnn(cudnn.cudnnSetTensor4dDescriptor(p.x, cudnn.CUDNN_TENSOR_NCHW, cudnn.CUDNN_DATA_FLOAT,
                    s.batch(), s.inChannels(), s.height(), s.width()), "cudnnSetTensor4dDescriptor " + s);
            checkDnn(cudnn.cudnnSetFilter4dDescriptor(p.w, cudnn.CUDNN_DATA_FLOAT, cudnn.CUDNN_TENSOR_NCHW,
                    s.outChannels(), s.inChannels(), s.kernelH(), s.kernelW()), "cudnnSetFilter4dDescriptor " + s);
            checkDnn(cudnn.cudnnSetConvolution2dDescriptor(p.conv, s.padding(), s.padding(), s.stride(), s.stride(), 1, 1,
                    cudnn.CUDNN_CROSS_CORRELATION, cudnn.CUDNN_DATA_FLOAT), "cudnnSetConvolution2dDescriptor " + s);
            checkDnn(cudnn.cudnnSetConvolutionMathType(p.conv, mathType), "cudnnSetConvolutionMathType");
            int[] n = {0}, c = {0}, h = {0}, w = {0};
            checkDnn(cudnn.cudnnGetConvolution2dForwardOutputDim(p.conv, p.x, p.w, n, c, h, w), "cudnnGetConvolution2dForwardOutputDim");
            if (n[0] != s.batch() || c[0] != s.outChannels() || h[0] != s.outHeight() || w[0] != s.outWidth()) {
                throw new IllegalStateException("cuDNN's output of " + s + " is " + n[0] + "x" + c[0] + "x" + h[0] + "x" + w[0]
                        + ", not " + s.batch() + "x" + s.outChannels() + "x" + s.outHeight() + "x" + s.outWidth());
            }
            checkDnn(cudnn.cudnnSetTensor4dDescriptor(p.y, cudnn.CUDNN_TENSOR_NCHW, cudnn.CUDNN_DATA_FLOAT,
                    s.batch(), s.outChannels(), s.outHeight(), s.outWidth()), "cudnnSetTensor4dDescriptor " + s);
        } catch (RuntimeException e) {
            destroy(p);
            throw e;
        }
        plans.put(s, p);
        return p;
    }

    // cudnnFind* runs every algorithm on scratch buffers of its own and returns them fastest first; the first that
    // ran successfully is kept, with the workspace it needs.

    private void findForward(Conv2dShape s, Plan p) {
        cudnnConvolutionFwdAlgoPerf_t perf = new cudnnConvolutionFwdAlgoPerf_t(cudnn.CUDNN_CONVOLUTION_FWD_ALGO_COUNT);
        try {
            int[] found = {0};
            checkDnn(cudnn.cudnnFindConvolutionForwardAlgorithm(handle, p.x, p.w, p.conv, p.y,
                    cudnn.CUDNN_CONVOLUTION_FWD_ALGO_COUNT, found, perf), "cudnnFindConvolutionForwardAlgorithm " + s);
            for (int i = 0; i < found[0] && p.forward < 0; i++) {
                cudnnConvolutionFwdAlgoPerf_t r = perf.getPointer(i);
                if (r.status() == cudnn.CUDNN_STATUS_SUCCESS) {
                    p.forward = r.algo();
                    p.forwardBytes = r.memory();
                }
            }
        } finally {
            perf.close();
        }
        if (p.forward < 0) throw new IllegalStateException("cudnnFindConvolutionForwardAlgorithm: no algorithm runs " + s);
    }

    private void findBackwardData(Conv2dShape s, Plan p) {
        cudnnConvolutionBwdDataAlgoPerf_t perf = new cudnnConvolutionBwdDataAlgoPerf_t(cudnn.CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT);
        try {
            int[] found = {0};
            checkDnn(cudnn.cudnnFindConvolutionBackwardDataAlgorithm(handle, p.w, p.y, p.conv, p.x,
                    cudnn.CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, found, perf), "cudnnFindConvolutionBackwardDataAlgorithm " + s);
            for (int i = 0; i < found[0] && p.backwardData < 0; i++) {
                cudnnConvolutionBwdDataAlgoPerf_t r = perf.getPointer(i);
                if (r.status() == cudnn.CUDNN_STATUS_SUCCESS) {
                    p.backwardData = r.algo();
                    p.backwardDataBytes = r.memory();
                }
            }
        } finally {
            perf.close();
        }
        if (p.backwardData < 0) throw new IllegalStateException("cudnnFindConvolutionBackwardDataAlgorithm: no algorithm runs " + s);
    }

    private void findBackwardFilter(Conv2dShape s, Plan p) {
        cudnnConvolutionBwdFilterAlgoPerf_t perf = new cudnnConvolutionBwdFilterAlgoPerf_t(cudnn.CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT);
        try {
            int[] found = {0};
            checkDnn(cudnn.cudnnFindConvolutionBackwardFilterAlgorithm(handle, p.x, p.y, p.conv, p.w,
                    cudnn.CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, found, perf), "cudnnFindConvolutionBackwardFilterAlgorithm " + s);
            for (int i = 0; i < found[0] && p.backwardFilter < 0; i++) {
                cudnnConvolutionBwdFilterAlgoPerf_t r = perf.getPointer(i);
                if (r.status() == cudnn.CUDNN_STATUS_SUCCESS) {
                    p.backwardFilter = r.algo();
                    p.backwardFilterBytes = r.memory();
                }
            }
        } finally {
            perf.close();
        }
        if (p.backwardFilter < 0) throw new IllegalStateException("cudnnFindConvolutionBackwardFilterAlgorithm: no algorithm runs " + s);
    }

    /** The workspace, at least {@code bytes}: a larger one replaces it (cudaFree waits for the ops that use it). */
    private Address workspace(long bytes) {
        if (bytes > workspaceBytes) {
            if (workspace != 0) gpu.free(workspace);
            workspace = 0;
            workspaceBytes = 0;
            long address = gpu.allocate(bytes);
            if (address == 0) throw new IllegalStateException("out of GPU memory for cuDNN's workspace of " + bytes + " bytes");
            workspace = address;
            workspaceBytes = bytes;
        }
        return scratch.at(workspace);
    }

    private static void destroy(Plan p) {
        if (!p.x.isNull()) cudnn.cudnnDestroyTensorDescriptor(p.x);
        if (!p.y.isNull()) cudnn.cudnnDestroyTensorDescriptor(p.y);
        if (!p.w.isNull()) cudnn.cudnnDestroyFilterDescriptor(p.w);
        if (!p.conv.isNull()) cudnn.cudnnDestroyConvolutionDescriptor(p.conv);
    }

    /** Frees the descriptors, the workspace and the handle. */
    @Override
    public void close() {
        for (Plan p : plans.values()) destroy(p);
        plans.clear();
        if (workspace != 0) gpu.free(workspace);
        workspace = 0;
        workspaceBytes = 0;
        if (!handle.isNull()) checkDnn(cudnn.cudnnDestroy(handle), "cudnnDestroy");
        one.close();
        beta.close();
    }
}
