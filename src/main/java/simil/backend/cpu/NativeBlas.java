package simil.backend.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS sgemm on Java arrays without copying them (see native/simil_blas.c). OpenBLAS itself comes
 * from the JavaCPP presets; our bridge only pins the arrays and calls its cblas_sgemm.
 */
final class NativeBlas {
    private NativeBlas() {}

    private static final String LIBRARY = "native/linux-x86_64/libsimil_blas.so";

    static {
        Loader.load(openblas_nolapack.class);
        System.load(extractLibrary().toString());
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

    private static Path extractLibrary() {
        try (InputStream in = NativeBlas.class.getClassLoader().getResourceAsStream(LIBRARY)) {
            if (in == null) throw new IllegalStateException(LIBRARY + " missing from the class path: rebuild with mvn package");
            Path file = Files.createTempFile("simil_blas", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + LIBRARY + ": " + e.getMessage(), e);
        }
    }

    static native void bind(long sgemmAddress);

    private static native void setThreads(long setNumThreadsAddress, long setNumThreadsLocalAddress, int threads);

    static native void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                           float[] a, int aOffset, int lda, int strideA,
                                           float[] b, int bOffset, int ldb, int strideB, float beta,
                                           float[] c, int cOffset, int ldc, int strideC, int batch,
                                           boolean singleThreaded);
}
