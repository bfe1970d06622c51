package simil.backend.cpu;

import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import simil.backend.natives.NativeLibraries;

/**
 * OpenBLAS sgemm on Java arrays without copying them (see native/simil_blas.c). OpenBLAS itself comes
 * from the JavaCPP presets; our bridge only pins the arrays and calls its cblas_sgemm.
 */
final class NativeBlas {
    private NativeBlas() {}


    /**
     * How long OpenBLAS's idle worker threads spin before they sleep, as log2 of cycles. Its default (2^28,
     * a tenth of a second) has them spin between our products while Java's parallel loops want the same
     * cores: 13% slower MatchNet training steps and 21% slower tower inference, measured. 2^4 makes them
     * sleep at once; waking them costs microseconds. OPENBLAS_THREAD_TIMEOUT set by the user wins.
     */
    private static final String THREAD_TIMEOUT = "4";

    static {
        NativeLibraries.load("simil_blas");
        // Before OpenBLAS loads: it reads its environment once, when it starts its threads.
        setEnvironmentDefault("OPENBLAS_THREAD_TIMEOUT", THREAD_TIMEOUT);
        Loader.load(openblas_nolapack.class);
        bind(addressOf("cblas_sgemm"));
        setThreads(addressOf("openblas_set_num_threads"), addressOf("openblas_set_num_threads_local"), threadsFromEnvironment(System.getenv()));
    }

    /** Thread count for OpenBLAS: SIMIL_THREADS or OPENBLAS_NUM_THREADS, else every core; anything but a count of 1 or more is an error. */
    static int threadsFromEnvironment(Map<String, String> env) {
        for (String name : new String[] {"SIMIL_THREADS", "OPENBLAS_NUM_THREADS"}) {
            String v = env.get(name);
            if (v == null || v.isBlank()) continue;
            try {
                int threads = Integer.parseInt(v.trim());
                if (threads >= 1) return threads;
            } catch (NumberFormatException notANumber) {
                // reported below, as is a count below 1
            }
            throw new IllegalArgumentException(name + "=" + v + ": must be a number of threads, 1 or more");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The kernel family OpenBLAS chose for this CPU (Haswell, SkylakeX, Zen, ...). */
    static String coreName() {
        return stringOf(addressOf("openblas_get_corename"));
    }

    /** OpenBLAS's version and build options: {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=...}. */
    static String config() {
        return stringOf(addressOf("openblas_get_config")).strip();
    }

    /** What the {@code char *f(void)} of OpenBLAS at {@code address} returns. */
    private static native String stringOf(long functionAddress);

    private static long addressOf(String symbol) {
        Pointer p = Loader.addressof(symbol);
        if (p == null || p.isNull()) throw new IllegalStateException("OpenBLAS symbol " + symbol + " not found");
        return p.address();
    }

    static native void bind(long sgemmAddress);

    /** setenv(name, value) unless the variable is already set. */
    private static native void setEnvironmentDefault(String name, String value);

    private static native void setThreads(long setNumThreadsAddress, long setNumThreadsLocalAddress, int threads);

    static native void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                           float[] a, int aOffset, int lda, int strideA,
                                           float[] b, int bOffset, int ldb, int strideB, float beta,
                                           float[] c, int cOffset, int ldc, int strideC, int batch,
                                           boolean singleThreaded);
}
