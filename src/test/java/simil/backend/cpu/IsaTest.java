package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import simil.tensor.Capability;

/** Choosing the instruction set of the native kernels: SIMIL_ISA / -Dsimil.isa, checked against this CPU. */
class IsaTest {
    @Test
    void everyCpuRunsTheGenericKernelsAndTheBestIsSupported() {
        assertEquals(Isa.GENERIC, Isa.supported().get(0));
        assertTrue(Isa.supported().contains(Isa.best()));
        assertTrue(Isa.best().runsHere());
    }

    @Test
    void aNamedIsaIsChosenWhateverItsCase() {
        for (Isa isa : Isa.supported()) {
            assertEquals(isa, withProperty(isa.flag().toUpperCase(), Isa::selected));
            assertEquals(isa, CpuBackend.forIsa(isa).isa());
        }
        assertEquals(Isa.best(), withProperty(" ", Isa::selected));
    }

    @Test
    void anUnknownOrUnsupportedIsaIsAnErrorThatSaysWhatRunsHere() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> withProperty("sse9", Isa::selected));
        assertEquals("SIMIL_ISA=sse9 is not an instruction set (avx512, avx2, generic)", unknown.getMessage());
        for (Isa isa : Isa.values()) {
            if (isa.runsHere()) continue;
            var lacking = assertThrows(IllegalArgumentException.class, () -> withProperty(isa.flag(), Isa::selected));
            assertTrue(lacking.getMessage().startsWith("SIMIL_ISA=" + isa.flag() + " but this CPU lacks "), lacking.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CpuBackend.forIsa(isa));
        }
    }

    @Test
    void baselineX86HasNoInt8PairKernelAndAvx2UsesItsOwn() {
        assertNull(Isa.GENERIC.int8PairsKernel());
        assertEquals(Isa.AVX2, Isa.AVX2.int8PairsKernel());
        assertFalse(CpuBackend.forIsa(Isa.GENERIC).supports(Capability.INT8_PAIRS), "a capability query, not a special case");
        if (Isa.AVX2.runsHere()) assertTrue(CpuBackend.forIsa(Isa.AVX2).supports(Capability.INT8_PAIRS));
    }

    private static <T> T withProperty(String value, Supplier<T> body) {
        String before = System.getProperty("simil.isa");
        System.setProperty("simil.isa", value);
        try {
            return body.get();
        } finally {
            if (before == null) System.clearProperty("simil.isa");
            else System.setProperty("simil.isa", before);
        }
    }
}
