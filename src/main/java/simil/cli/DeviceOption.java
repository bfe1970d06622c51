package simil.cli;

import picocli.CommandLine.Option;
import simil.backend.Backends;
import simil.tensor.Backend;

/** {@code --device}: where a command computes, opened through the backend registry before any work. */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "Where to compute: cpu, or cuda / cuda:N for GPU N (NVIDIA, compute capability 8.0 or newer, with CUDA 13 and cuDNN 9; SIMIL_CUDA_MATH=fp32|tf32|bf16 sets its products' arithmetic); default: ${DEFAULT-VALUE}.")
    String device;

    /** The backend; one line naming --device when it cannot be opened here. */
    Backend open() {
        try {
            return Backends.open(device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--device " + device + ": " + e.getMessage());
        }
    }
}
