package simil.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import simil.backend.cpu.CpuBackend;
import simil.backend.cuda.CudaBackend;
import simil.tensor.Backend;

/**
 * The backends by the names {@code --device} takes: {@code cpu} (the CPU backend in the instruction set
 * SIMIL_ISA selects, else the best this CPU runs), {@code cuda} and {@code cuda:N} (GPU N, 0 by default, through
 * CUDA; where it cannot be used, one line says why: no driver, no GPU, a library missing, no kernels in this build).
 * {@code cuda-emulated} opens the CUDA backend over our host emulator ({@link CudaBackend#emulated()}: the GPU's
 * kernels run on the CPU, slowly), so that the tests run commands on it too; messages leave it out.
 */
public final class Backends {
    /** Every device name the registry knows, for messages. */
    public static final String KNOWN = "cpu, cuda, cuda:N";

    private static final Pattern CUDA = Pattern.compile("cuda(?::(\\d{1,9}))?");

    private Backends() {}

    /** The backend for {@code device}; an unknown name, or a device this machine lacks, is an error that says what is here. */
    public static Backend open(String device) {
        if (device.equals("cpu")) return CpuBackend.get();
        if (device.equals("cuda-emulated")) return CudaBackend.emulated();
        Matcher cuda = CUDA.matcher(device);
        if (cuda.matches()) {
            try {
                return CudaBackend.open(cuda.group(1) == null ? 0 : Integer.parseInt(cuda.group(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (" + here() + ")", e);
            }
        }
        throw new IllegalArgumentException("unknown device '" + device + "' (" + KNOWN + "; " + here() + ")");
    }

    /** The device names that {@link #open} opens on this machine. */
    public static List<String> available() {
        List<String> names = new ArrayList<>(List.of("cpu"));
        names.addAll(CudaBackend.devices());
        return List.copyOf(names);
    }

    private static String here() {
        return "devices here: " + String.join(", ", available());
    }
}
