package simil.testing;

import java.util.stream.Stream;
import simil.backend.Backends;
import simil.tensor.Backend;

/**
 * Every backend present on this machine, opened through the registry ({@link Backends}), so that a test class
 * annotated {@code @ParameterizedClass @MethodSource("simil.testing.AllBackends#everyBackend")} holds each of them to the same
 * numbers: the CPU always, a GPU where one is installed. Tests of the CPU's own kernels run per instruction set
 * ({@link CpuBackends#everyIsa}, or with every other backend {@link #everyBackendAndIsa}).
 */
public final class AllBackends {
    private AllBackends() {}

    public static Stream<Backend> everyBackend() {
        return Backends.available().stream().map(Backends::open);
    }

    /**
     * Every backend present with the CPU once per instruction set this CPU runs ({@link CpuBackends#everyIsa}): for
     * tests of ops whose CPU kernels come in several copies, so that each copy and each other backend is checked.
     */
    public static Stream<Backend> everyBackendAndIsa() {
        return Stream.concat(CpuBackends.everyIsa(), Backends.available().stream().filter(name -> !name.equals("cpu")).map(Backends::open));
    }
}
