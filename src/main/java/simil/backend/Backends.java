package simil.backend;

import java.util.List;
import simil.backend.cpu.CpuBackend;
import simil.tensor.Backend;

/**
 * The backends by the names {@code --device} takes: {@code cpu} (the CPU backend in the instruction set
 * SIMIL_ISA selects, else the best this CPU runs), {@code cuda} and {@code cuda:N} (GPU N; this build has no
 * CUDA backend, so they fail with one line).
 */
public final class Backends {
    /** Every device name the registry knows, for messages. */
    public static final String KNOWN = "cpu, cuda, cuda:N";

    private Backends() {}

    /** The backend for {@code device}; an unknown name, or a device this machine lacks, is an error that says what is here. */
    public static Backend open(String device) {
        if (device.equals("cpu")) return CpuBackend.get();
        String here = "devices here: " + String.join(", ", available());
        if (device.equals("cuda") || device.matches("cuda:\\d+")) {
            throw new IllegalArgumentException("no CUDA backend or driver on this machine (" + here + ")");
        }
        throw new IllegalArgumentException("unknown device '" + device + "' (" + KNOWN + "; " + here + ")");
    }

    /** The device names that {@link #open} opens on this machine. */
    public static List<String> available() {
        return List.of("cpu");
    }
}
