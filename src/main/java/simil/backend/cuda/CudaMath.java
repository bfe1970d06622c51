package simil.backend.cuda;

import java.util.Locale;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudnn;

/**
 * The arithmetic of cuBLAS's products and cuDNN's convolutions, chosen by {@code SIMIL_CUDA_MATH}: {@code fp32} (the
 * default: full float32 products, within float rounding of the CPU backend), {@code tf32} or {@code bf16} (float32
 * in and out, inputs rounded to TF32 or bfloat16 for the tensor cores: faster, further from the CPU).
 */
enum CudaMath {
    FP32(cublas.CUBLAS_COMPUTE_32F, cudnn.CUDNN_FMA_MATH),
    TF32(cublas.CUBLAS_COMPUTE_32F_FAST_TF32, cudnn.CUDNN_DEFAULT_MATH),
    BF16(cublas.CUBLAS_COMPUTE_32F_FAST_16BF, cudnn.CUDNN_DEFAULT_MATH);

    /** cuBLAS's {@code cublasComputeType_t} for float32 matrices. */
    final int blasCompute;
    /**
     * cuDNN's {@code cudnnMathType_t}: FMA only for fp32, since the default lets cuDNN use TF32 on Ampere and newer;
     * cuDNN's float32 convolutions have no bf16 mode, so bf16 convolves as tf32 does.
     */
    final int dnnMath;

    CudaMath(int blasCompute, int dnnMath) {
        this.blasCompute = blasCompute;
        this.dnnMath = dnnMath;
    }

    /** The mode {@code SIMIL_CUDA_MATH} names, fp32 when unset; an unknown value is an error that lists the others. */
    static CudaMath fromEnvironment() {
        return parse(System.getenv("SIMIL_CUDA_MATH"));
    }

    static CudaMath parse(String value) {
        if (value == null || value.isEmpty()) return FP32;
        for (CudaMath m : values()) {
            if (m.label().equals(value)) return m;
        }
        throw new IllegalArgumentException("SIMIL_CUDA_MATH=" + value + ": must be one of fp32, tf32, bf16");
    }

    /** How SIMIL_CUDA_MATH and the device's details name it. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
