package simil.cli;

import picocli.CommandLine.Option;
import simil.backend.Backends;
import simil.tensor.Backend;

/** {@code --device}: where a command computes, opened through the backend registry before any work. */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "Where to compute: cpu, or cuda / cuda:N for a GPU (none in this build); default: ${DEFAULT-VALUE}.")
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
