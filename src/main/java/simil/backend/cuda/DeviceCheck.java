package simil.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A check on an op's inputs that a kernel makes, where the host could only make it by reading the device: an index
 * outside its table, more non-zeros than a list holds. The kernel never reads or writes out of bounds; it raises the
 * check's {@link #code} in the backend's failure word ({@code atomicMax}, {@link CudaBackend#failureWord}) and goes
 * on with harmless values, and the backend's next {@link CudaBackend#synchronize()} (every host read makes one)
 * throws the check's exception, as CUDA reports a kernel's fault at the next synchronization. Several failures in
 * one stretch report the one made last in the order of {@link #of} calls.
 */
record DeviceCheck(int code, Function<String, RuntimeException> exception, String message) {
    private static final List<DeviceCheck> ALL = new ArrayList<>();

    /** A new check: its failure throws {@code exception.apply(message)}. */
    static DeviceCheck of(Function<String, RuntimeException> exception, String message) {
        synchronized (ALL) {
            DeviceCheck check = new DeviceCheck(ALL.size() + 1, exception, message);
            ALL.add(check);
            return check;
        }
    }

    /** The exception of the check whose code a kernel raised. */
    static RuntimeException failure(int code) {
        synchronized (ALL) {
            if (code < 1 || code > ALL.size()) return new IllegalStateException("a kernel raised an unknown failure code " + code);
            DeviceCheck check = ALL.get(code - 1);
            return check.exception().apply(check.message() + " (found on the GPU, reported at the next synchronize)");
        }
    }
}
