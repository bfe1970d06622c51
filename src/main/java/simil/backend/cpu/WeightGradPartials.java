package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;

import simil.tensor.Tensor;

/**
 * Partial weight gradients of a convolution, one per group of images fixed by the shape, each summed by one
 * thread, then added to dWeight in group order: the result does not depend on the thread count.
 */
final class WeightGradPartials {
    private final CpuBackend backend;
    private Tensor buffer;
    private int size;

    WeightGradPartials(CpuBackend backend) {
        this.backend = backend;
    }

    /** Room for {@code groups} partials of {@code size} floats, partial g at offset g·size; kept between calls. */
    Tensor reserve(int groups, int size) {
        if (buffer == null || buffer.size() < groups * size) buffer = backend.zeros(groups * size);
        this.size = size;
        return buffer;
    }

    /** dWeight += partial 0 + partial 1 + … + partial groups−1, in that order (partials as last reserved). */
    void addInOrder(int groups, Tensor dWeight) {
        float[] pd = data(buffer), wd = data(dWeight);
        int po = buffer.offset(), wo = dWeight.offset(), n = size;
        Parallel.forRange(n, 4096, (from, to) -> {
            for (int g = 0; g < groups; g++) {
                for (int j = from; j < to; j++) wd[wo + j] += pd[po + g * n + j];
            }
        });
    }
}
