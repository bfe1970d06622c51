package simil.tensor;

import java.util.Set;

/**
 * The device a backend computes on.
 *
 * @param name         how {@code --device} names it: {@code cpu}, {@code cuda:0}
 * @param description  what runs there, for logs: {@code AMD EPYC 9R14: avx512 kernels, int8 pairs: avx512 vnni; OpenBLAS SkylakeX, 2 threads}
 * @param capabilities what it can do beyond float32 ({@link Backend#supports})
 */
public record Device(String name, String description, Set<Capability> capabilities) {
    public Device {
        capabilities = Set.copyOf(capabilities);
    }
}
