package simil.testing;

import java.util.stream.Stream;
import simil.backend.Backends;
import simil.tensor.Backend;

/**
 * Every backend present on this machine, opened through the registry ({@link Backends}), so that a test class
 * annotated {@code @ParameterizedClass @MethodSource("simil.testing.AllBackends#everyBackend")} holds each of them to the same
 * numbers: the CPU always, a GPU where one is installed. Tests of the CPU's own kernels run per instruction set
 * instead ({@link CpuBackends#everyIsa}).
 */
public final class AllBackends {
    private AllBackends() {}

    public static Stream<Backend> everyBackend() {
        return Backends.available().stream().map(Backends::open);
    }
}
