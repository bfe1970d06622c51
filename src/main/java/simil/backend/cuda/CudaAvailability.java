package simil.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;

/**
 * Whether this machine runs the CUDA backend, and if not, why, in a few words: the JNI libraries of cudart, cuBLAS
 * and cuDNN load (they need the driver, CUDA 13's runtime and cuBLAS, cuDNN 9), the runtime counts the GPUs, each
 * must be of compute capability 8.0 or newer (the fatbin's oldest code is sm_80; its PTX is compute_90), and this
 * build holds the kernels (nvcc made simil.fatbin). Probed once per process, through the runtime's device queries
 * only: the JNI libraries bind lazily, and a driver API call into a driver that lacks it would end the process.
 */
final class CudaAvailability {
    /** Our kernels, as kernels/build.sh puts them on the class path. */
    static final String FATBIN = "/simil/kernels/simil.fatbin";
    /** The oldest compute capability (major × 10 + minor) the fatbin has code for. */
    static final int MIN_COMPUTE_CAPABILITY = 80;

    private static final Pattern MISSING = Pattern.compile("(lib[\\w+.-]*\\.so[.\\d]*): cannot open shared object file");

    /** What the probe found: a reason none is usable, or each GPU's compute capability. */
    private record Probe(String problem, List<Integer> computeCapabilities) {}

    private static Probe probe;

    private CudaAvailability() {}

    /** {@code cuda:N} for each usable GPU. */
    static List<String> devices() {
        Probe p = probe();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.computeCapabilities().size(); i++) {
            if (p.computeCapabilities().get(i) >= MIN_COMPUTE_CAPABILITY) names.add("cuda:" + i);
        }
        return names;
    }

    /** Why GPU {@code index} cannot be opened, as one line; null when it can. */
    static String problem(int index) {
        Probe p = probe();
        if (p.problem() != null) return "no usable GPU: " + p.problem();
        List<Integer> cc = p.computeCapabilities();
        if (index < 0 || index >= cc.size()) {
            return "no GPU cuda:" + index + " on this machine (" + cc.size() + (cc.size() == 1 ? " GPU" : " GPUs") + ")";
        }
        if (cc.get(index) < MIN_COMPUTE_CAPABILITY) {
            return "cuda:" + index + " is of compute capability " + cc.get(index) / 10 + "." + cc.get(index) % 10
                    + "; the kernels need " + MIN_COMPUTE_CAPABILITY / 10 + ".0 or newer";
        }
        return null;
    }

    private static synchronized Probe probe() {
        if (probe == null) probe = run();
        return probe;
    }

    private static Probe run() {
        try {
            Loader.load(cudart.class);
        } catch (Throwable e) { // UnsatisfiedLinkError, or NoClassDefFoundError after an earlier attempt
            return new Probe(loadFailure(e), List.of());
        }
        int[] count = {0};
        int status = cudart.cudaGetDeviceCount(count);
        if (status != cudart.cudaSuccess) return new Probe("the CUDA runtime finds no GPU: " + CudaStatus.runtimeError(status), List.of());
        if (count[0] == 0) {
            String visible = System.getenv("CUDA_VISIBLE_DEVICES");
            return new Probe("the CUDA driver sees no GPU" + (visible == null ? "" : " (CUDA_VISIBLE_DEVICES=" + visible + ")"), List.of());
        }
        try {
            Loader.load(cublas.class);
            Loader.load(cudnn.class);
        } catch (Throwable e) {
            return new Probe(loadFailure(e), List.of());
        }
        if (CudaAvailability.class.getResource(FATBIN) == null) {
            return new Probe("this build has no CUDA kernels (" + FATBIN.substring(1) + ": nvcc was missing when it was built)", List.of());
        }
        List<Integer> cc = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            int[] major = {0}, minor = {0};
            status = cudart.cudaDeviceGetAttribute(major, cudart.cudaDevAttrComputeCapabilityMajor, i);
            if (status == cudart.cudaSuccess) status = cudart.cudaDeviceGetAttribute(minor, cudart.cudaDevAttrComputeCapabilityMinor, i);
            if (status != cudart.cudaSuccess) {
                return new Probe("the compute capability of cuda:" + i + " is unknown: " + CudaStatus.runtimeError(status), List.of());
            }
            cc.add(10 * major[0] + minor[0]);
        }
        return new Probe(null, List.copyOf(cc));
    }

    /** Why a JNI library did not load: the shared library it needs and lacks, by what it is; else the loader's words. */
    static String loadFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = MISSING.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                String library = m.group(1);
                if (library.startsWith("libcuda.so")) return "the CUDA driver (" + library + ") is not installed";
                String what = library.startsWith("libcudart") ? "the CUDA 13 runtime"
                        : library.startsWith("libcublas") ? "cuBLAS 13"
                        : library.startsWith("libcudnn") ? "cuDNN 9" : "a CUDA library";
                return what + " (" + library + ") is not on the library path (LD_LIBRARY_PATH)";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return "CUDA's JNI libraries do not load: " + message.strip().lines().findFirst().orElse("");
    }
}
