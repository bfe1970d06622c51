package simil.testing;

import java.util.stream.Stream;
import simil.backend.Backends;
import simil.backend.cuda.CudaBackend;
import simil.tensor.Backend;

/**
 * Every backend present on this machine, opened through the registry ({@link Backends}), so that a test class
 * annotated {@code @ParameterizedClass @MethodSource("simil.testing.AllBackends#everyBackend")} holds each of them to the same
 * numbers: the CPU always, a GPU where one is installed, and the CUDA backend over our host emulator
 * ({@link CudaBackend#emulated()}: the GPU's kernels run on the CPU) unless the system property
 * {@code simil.test.emulatedCuda} is {@code false}. Tests of the CPU's own kernels run per instruction set
 * ({@link CpuBackends#everyIsa}, or with every other backend {@link #everyBackendAndIsa}).
 */
public final class AllBackends {
    private AllBackends() {}

    public static Stream<Backend> everyBackend() {
        return Stream.concat(Backends.available().stream().map(Backends::open), emulatedCudaUnlessOff());
    }

    /**
     * Every backend present with the CPU once per instruction set this CPU runs ({@link CpuBackends#everyIsa}): for
     * tests of ops whose CPU kernels come in several copies, so that each copy and each other backend is checked.
     */
    public static Stream<Backend> everyBackendAndIsa() {
        return Stream.of(CpuBackends.everyIsa(), Backends.available().stream().filter(name -> !name.equals("cpu")).map(Backends::open),
                         emulatedCudaUnlessOff()).flatMap(s -> s);
    }

    /** The CUDA backend over the host emulator alone, for tests of it. */
    public static Stream<Backend> emulatedCuda() {
        return Stream.of(CudaBackend.emulated());
    }

    private static Stream<Backend> emulatedCudaUnlessOff() {
        return Boolean.parseBoolean(System.getProperty("simil.test.emulatedCuda", "true")) ? emulatedCuda() : Stream.empty();
    }
}
