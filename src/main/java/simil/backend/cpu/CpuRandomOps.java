package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;

import simil.tensor.RandomOps;
import simil.tensor.Rng;
import simil.tensor.Tensor;

final class CpuRandomOps implements RandomOps {
    @Override
    public void uniform(Tensor t, float low, float high, long seed) {
        float[] d = data(t);
        int off = t.offset();
        Parallel.forRange(t.size(), 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) d[off + i] = low + (high - low) * Rng.uniform(seed, i);
        });
    }

    @Override
    public void normal(Tensor t, float mean, float std, long seed) {
        float[] d = data(t);
        int off = t.offset();
        Parallel.forRange(t.size(), 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) d[off + i] = mean + std * Rng.normal(seed, i);
        });
    }
}
