package simil.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The device a backend computes on.
 *
 * @param name         how {@code --device} names it: {@code cpu}, {@code cuda:0}
 * @param description  what runs there, for logs: {@code AMD EPYC 9R14: avx512 kernels, int8 pairs: avx512 vnni; OpenBLAS SkylakeX, 2 threads}
 * @param capabilities what it can do beyond float32 ({@link Backend#supports})
 * @param details      what a run's provenance records of it, by name: the processor, instruction set, library
 *                     versions ({@code cpu}, {@code isa}, {@code openblas}, ...), in a stable order
 */
public record Device(String name, String description, Set<Capability> capabilities, Map<String, String> details) {
    public Device {
        capabilities = Set.copyOf(capabilities);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A device that records no details beyond its description. */
    public Device(String name, String description, Set<Capability> capabilities) {
        this(name, description, capabilities, Map.of());
    }
}
