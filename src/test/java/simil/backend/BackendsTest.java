package simil.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import simil.backend.cpu.CpuBackend;
import simil.backend.cpu.Isa;
import simil.backend.cuda.CudaBackend;
import simil.tensor.Backend;
import simil.tensor.Capability;

/**
 * The backend registry: {@code cpu} opens the CPU backend SIMIL_ISA selects; {@code cuda} opens a usable GPU, else fails with one
 * line; {@code cuda-emulated} the CUDA backend on the host emulator.
 */
class BackendsTest {
    @Test
    void cpuIsTheSelectedCpuBackendDescribingItsDevice() {
        Backend cpu = Backends.open("cpu");
        assertSame(CpuBackend.get(), cpu);
        assertEquals("cpu", cpu.device().name());
        assertTrue(cpu.device().description().contains(((CpuBackend) cpu).isa().flag() + " kernels"), cpu.device().description());
        assertEquals(((CpuBackend) cpu).isa() != Isa.GENERIC, cpu.supports(Capability.INT8_PAIRS),
                "int8 pairs on AVX2 and AVX-512, not on baseline x86-64");
        assertTrue(!cpu.supports(Capability.BF16) && !cpu.supports(Capability.TENSOR_CORES));
    }

    @Test
    void cpuHonoursSimilIsa() {
        String before = System.getProperty("simil.isa");
        System.setProperty("simil.isa", "generic");
        try {
            assertEquals(Isa.GENERIC, ((CpuBackend) Backends.open("cpu")).isa());
        } finally {
            if (before == null) System.clearProperty("simil.isa");
            else System.setProperty("simil.isa", before);
        }
    }

    @Test
    void cudaEmulatedIsTheCudaBackendOnTheHostEmulatorNamedAsItsDevice() {
        Backend emulated = Backends.open("cuda-emulated");
        assertSame(CudaBackend.emulated(), emulated);
        assertEquals("cuda-emulated", emulated.device().name(), "what --device takes to open it again");
        assertTrue(!Backends.available().contains("cuda-emulated"), "a device for tests, not one this machine has");
    }

    @Test
    void everyAvailableDeviceOpens() {
        List<String> available = Backends.available();
        assertEquals("cpu", available.get(0));
        for (String device : available) {
            assertTrue(device.equals("cpu") || device.matches("cuda:\\d+"), device);
            assertEquals(device, Backends.open(device).device().name());
        }
    }

    @Test
    void whereNoGpuIsUsableCudaSaysWhyInOneLine() {
        assumeTrue(CudaBackend.devices().isEmpty(), "skipped: this machine has a usable GPU");
        String first = null;
        for (String cuda : new String[] {"cuda", "cuda:0", "cuda:3"}) {
            String message = assertThrows(IllegalArgumentException.class, () -> Backends.open(cuda)).getMessage();
            assertTrue(message.matches("no usable GPU: [^\\n]+ \\(devices here: cpu\\)"), message);
            if (first == null) first = message;
            assertEquals(first, message, "the same reason for every GPU");
        }
    }

    @Test
    void anUnknownDeviceListsTheValidOnes() {
        String here = String.join(", ", Backends.available());
        for (String bad : new String[] {"gpu", "cuda:x", "cuda:", "cuda0", "CPU", ""}) {
            String message = assertThrows(IllegalArgumentException.class, () -> Backends.open(bad)).getMessage();
            assertEquals("unknown device '" + bad + "' (cpu, cuda, cuda:N; devices here: " + here + ")", message);
        }
    }
}
