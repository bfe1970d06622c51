package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Why the CUDA backend does not open, in a few words, from what the JNI loader says; and SIMIL_CUDA_MATH's values. */
class CudaAvailabilityTest {
    private static UnsatisfiedLinkError loaderError(String library) {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        e.initCause(new UnsatisfiedLinkError("/root/.javacpp/cache/cuda.jar/org/bytedeco/cuda/linux-x86_64/libjnicudart.so: "
                + library + ": cannot open shared object file: No such file or directory"));
        return e;
    }

    @Test
    void aMissingLibraryIsNamedByWhatItIs() {
        assertEquals("the CUDA driver (libcuda.so.1) is not installed", CudaAvailability.loadFailure(loaderError("libcuda.so.1")));
        assertEquals("the CUDA 13 runtime (libcudart.so.13) is not on the library path (LD_LIBRARY_PATH)",
                CudaAvailability.loadFailure(loaderError("libcudart.so.13")));
        assertEquals("cuBLAS 13 (libcublasLt.so.13) is not on the library path (LD_LIBRARY_PATH)",
                CudaAvailability.loadFailure(loaderError("libcublasLt.so.13")));
        assertEquals("cuDNN 9 (libcudnn_cnn.so.9) is not on the library path (LD_LIBRARY_PATH)",
                CudaAvailability.loadFailure(loaderError("libcudnn_cnn.so.9")));
    }

    @Test
    void anotherLoaderFailureIsItsFirstLine() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("outer");
        e.initCause(new UnsatisfiedLinkError("libjnicudnn.so: undefined symbol: cudnnCreate\nmore"));
        assertEquals("CUDA's JNI libraries do not load: libjnicudnn.so: undefined symbol: cudnnCreate", CudaAvailability.loadFailure(e));
        NoClassDefFoundError again = new NoClassDefFoundError("Could not initialize class org.bytedeco.cuda.global.cudart");
        assertEquals("CUDA's JNI libraries do not load: Could not initialize class org.bytedeco.cuda.global.cudart",
                CudaAvailability.loadFailure(again));
    }

    @Test
    void whereNoGpuIsUsableEveryIndexSaysWhyInOneLine() {
        assumeTrue(CudaAvailability.devices().isEmpty(), "skipped: this machine has a usable GPU");
        String why = CudaAvailability.problem(0);
        assertTrue(why.startsWith("no usable GPU: ") && why.lines().count() == 1, why);
        assertEquals(why, CudaAvailability.problem(7));
        assertEquals(why, assertThrows(IllegalArgumentException.class, () -> CudaRuntimeGpu.open(0)).getMessage());
    }

    @Test
    void mathIsFp32UnlessSimilCudaMathSaysOtherwise() {
        assertEquals(CudaMath.FP32, CudaMath.parse(null));
        assertEquals(CudaMath.FP32, CudaMath.parse(""));
        assertEquals(CudaMath.TF32, CudaMath.parse("tf32"));
        assertEquals(CudaMath.BF16, CudaMath.parse("bf16"));
        assertEquals(68, CudaMath.FP32.blasCompute, "CUBLAS_COMPUTE_32F");
        assertEquals(77, CudaMath.TF32.blasCompute, "CUBLAS_COMPUTE_32F_FAST_TF32");
        assertEquals(75, CudaMath.BF16.blasCompute, "CUBLAS_COMPUTE_32F_FAST_16BF");
        assertEquals("SIMIL_CUDA_MATH=fp16: must be one of fp32, tf32, bf16",
                assertThrows(IllegalArgumentException.class, () -> CudaMath.parse("fp16")).getMessage());
    }
}
