package simil.parity;

import java.util.List;
import simil.tensor.Tensor;

/** Adam and AdamW steps over blocks of parameters with a partial decay mask, early (bias correction large) and late. */
final class OptimCases {
    private OptimCases() {}

    /** A few roundings apart (fused multiply-adds, another square root), on values of order 1. */
    private static final Tolerance UPDATES = Tolerance.of(1e-6, 1e-6);
    /** The moments are of order 0.01 and 0.001: the same relative bound, an absolute one below their rounding. */
    private static final Tolerance MOMENTS = Tolerance.of(1e-10, 1e-6);

    static List<ParityCase> cases() {
        return List.of(ParityCase.of("optim.adamStep", UPDATES, (in, out) -> {
            for (int n : new int[] {1, 31, 1000, 100003}) {
                for (boolean decoupled : new boolean[] {false, true}) {
                    for (int step : new int[] {1, 1000}) {
                        Tensor param = in.uniform(-1, 1, n), grad = in.normal(0.1f, n);
                        Tensor m = in.normal(0.01f, n), v = in.uniform(0, 1e-3f, n);
                        float[] mask = new float[n];
                        for (int i = 0; i < n; i++) mask[i] = in.nextInt(3) == 0 ? 0f : 1f;
                        in.backend().optim().adamStep(param, grad, m, v, in.floats(mask, n), 1e-3f, 0.9f, 0.999f, 1e-8f,
                                0.05f, decoupled, step);
                        String name = "n=" + n + (decoupled ? " adamw" : " adam") + " step " + step;
                        out.add(name + " param", param).add(name + " m", m, MOMENTS).add(name + " v", v, MOMENTS)
                                .add(name + " grad unchanged", grad, Tolerance.EXACT);
                    }
                }
            }
        }));
    }
}
