package simil.tokenizer;

import java.util.SplittableRandom;
import simil.tensor.Backend;

/** Images [n, 3, 64, 64] in [0, 1] with structure at the patch scale: seeded stripes and gradients of random orientation. */
final class SyntheticImages {
    private SyntheticImages() {}

    static float[] make(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int side = PatchGrid.SIDE, plane = side * side;
        float[] out = new float[n * 3 * plane];
        for (int i = 0; i < n; i++) {
            double angle = random.nextDouble() * Math.PI, freq = 0.1 + random.nextDouble() * 0.6, phase = random.nextDouble() * 6.3;
            double[] tint = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
            for (int c = 0; c < 3; c++) for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) {
                double t = Math.cos(angle) * x + Math.sin(angle) * y;
                double v = 0.5 + 0.4 * Math.sin(freq * t + phase + c) * tint[c] + 0.02 * (random.nextDouble() - 0.5);
                out[i * 3 * plane + c * plane + y * side + x] = (float) v;
            }
        }
        return out;
    }

    /** Normalized patches of {@code n} synthetic images. */
    static PatchSample patches(Backend backend, int n, long seed) {
        return PatchSample.of(backend.fromArray(make(n, seed), n, PatchGrid.CHANNELS, PatchGrid.SIDE, PatchGrid.SIDE));
    }
}
