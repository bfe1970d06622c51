package simil.testing;

import java.util.stream.Stream;
import simil.backend.cpu.CpuBackend;
import simil.backend.cpu.Isa;

/**
 * The CPU backend once per instruction set this CPU runs, so that a test class annotated
 * {@code @ParameterizedClass @MethodSource("simil.testing.CpuBackends#everyIsa")} checks every copy of the
 * native kernels: an AVX-512 machine also checks the AVX2 and baseline code.
 */
public final class CpuBackends {
    private CpuBackends() {}

    public static Stream<CpuBackend> everyIsa() {
        return Isa.supported().stream().map(CpuBackend::forIsa);
    }
}
