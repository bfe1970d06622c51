package simil.backend.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;

/**
 * The status every CUDA, driver, cuBLAS and cuDNN call returns, checked: a failure is one line naming the call and
 * the library's name and text for the code, e.g. {@code cudaStreamSynchronize: cudaErrorIllegalAddress (an illegal
 * memory access was encountered)}. A failed kernel usually surfaces at the next synchronization, not at its launch.
 */
final class CudaStatus {
    private CudaStatus() {}

    /** A CUDA runtime call's {@code cudaError_t}. */
    static void check(int status, String call) {
        if (status != cudart.cudaSuccess) throw new IllegalStateException(call + ": " + runtimeError(status));
    }

    /** A driver API call's {@code CUresult}. */
    static void checkDriver(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) throw new IllegalStateException(call + ": " + driverError(status));
    }

    /** A cuBLAS call's {@code cublasStatus_t}. */
    static void checkBlas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException(call + ": " + text(cublas.cublasGetStatusName(status), "cuBLAS status " + status)
                    + " (" + text(cublas.cublasGetStatusString(status), "") + ")");
        }
    }

    /** A cuDNN call's {@code cudnnStatus_t}. */
    static void checkDnn(int status, String call) {
        if (status != cudnn.CUDNN_STATUS_SUCCESS) {
            throw new IllegalStateException(call + ": " + text(cudnn.cudnnGetErrorString(status), "cuDNN status " + status));
        }
    }

    /** {@code cudaErrorNoDevice (no CUDA-capable device is detected)}. */
    static String runtimeError(int status) {
        return text(cudart.cudaGetErrorName(status), "cudaError " + status) + " (" + text(cudart.cudaGetErrorString(status), "") + ")";
    }

    private static String driverError(int status) {
        BytePointer name = new BytePointer(), description = new BytePointer();
        cudart.cuGetErrorName(status, name);
        cudart.cuGetErrorString(status, description);
        return text(name, "CUresult " + status) + " (" + text(description, "") + ")";
    }

    /** A C string the library owns, or {@code otherwise} for a null one. */
    private static String text(BytePointer string, String otherwise) {
        return string == null || string.isNull() ? otherwise : string.getString();
    }
}
