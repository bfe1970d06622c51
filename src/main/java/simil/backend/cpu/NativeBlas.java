package simil.backend.cpu;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS sgemm on Java arrays without copying them (see native/simil_blas.c). OpenBLAS itself comes
 * from the JavaCPP presets; our bridge only pins the arrays and calls its cblas_sgemm.
 */
final class NativeBlas {
    private NativeBlas() {}


    static {
        Loader.load(openblas_nolapack.class);
        NativeLibraries.load("simil_blas");
        bind(addressOf("cblas_sgemm"));
        setThreads(addressOf("openblas_set_num_threads"), addressOf("openblas_set_num_threads_local"), threadsFromEnvironment());
    }

    /** Thread count for OpenBLAS: OPENBLAS_NUM_THREADS or SIMIL_THREADS, else every core. */
    static int threadsFromEnvironment() {
        for (String name : new String[] {"SIMIL_THREADS", "OPENBLAS_NUM_THREADS"}) {
            String v = System.getenv(name);
            if (v != null && !v.isBlank()) return Math.max(1, Integer.parseInt(v.trim()));
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static long addressOf(String symbol) {
        Pointer p = Loader.addressof(symbol);
        if (p == null || p.isNull()) throw new IllegalStateException("OpenBLAS symbol " + symbol + " not found");
        return p.address();
    }

    static native void bind(long sgemmAddress);

    private static native void setThreads(long setNumThreadsAddress, long setNumThreadsLocalAddress, int threads);

    static native void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                           float[] a, int aOffset, int lda, int strideA,
                                           float[] b, int bOffset, int ldb, int strideB, float beta,
                                           float[] c, int cOffset, int ldc, int strideC, int batch,
                                           boolean singleThreaded);
}
