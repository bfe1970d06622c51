package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.ints;

import simil.tensor.BlockwiseMasking;
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

    @Override
    public void truncatedNormal(Tensor t, float mean, float std, long seed) {
        float[] d = data(t);
        int off = t.offset();
        Parallel.forRange(t.size(), 1 << 13, (from, to) -> {
            for (int i = from; i < to; i++) {
                float z = Rng.normal(seed, i);
                for (long attempt = 1; Math.abs(z) > 2f; attempt++) z = Rng.normal(Rng.derive(seed, attempt), i);
                d[off + i] = mean + std * z;
            }
        });
    }

    @Override
    public void keepMask(Tensor mask, float p, long seed) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("drop probability " + p + " not in [0, 1)");
        float[] d = data(mask);
        int off = mask.offset();
        float keep = 1f / (1f - p);
        Parallel.forRange(mask.size(), 1 << 13, (from, to) -> {
            for (int i = from; i < to; i++) d[off + i] = Rng.uniform(seed, i) < p ? 0f : keep;
        });
    }

    @Override
    public void blockwiseMask(Tensor images, BlockwiseMasking masking, long seed, Tensor mask) {
        int b = images.size(), n = masking.patches();
        mask.requireShape("mask", b, n);
        int[] ids = ints(images), out = ints(mask);
        int io = images.offset(), mo = mask.offset();
        // One image is a few dozen draws: a chunk of images per task.
        Parallel.forRange(b, 8, (from, to) -> {
            for (int i = from; i < to; i++) masking.mask(seed, ids[io + i], out, mo + i * n);
        });
    }
}
