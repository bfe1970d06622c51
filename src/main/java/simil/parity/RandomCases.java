package simil.parity;

import java.util.List;
import simil.tensor.BlockwiseMasking;
import simil.tensor.Tensor;

/**
 * Random fills from the counter-based streams of {@code simil.tensor.Rng}: a backend draws the CPU's very numbers, so
 * uniform fills, dropout keep factors and blockwise masks are compared exactly; normal draws go through a logarithm and
 * a cosine, which a GPU's math library may round one float step apart.
 */
final class RandomCases {
    private RandomCases() {}

    private static final int[] SIZES = {1, 31, 256, 10007, 1 << 18};
    private static final Tolerance NORMALS = Tolerance.of(1e-6, 1e-6);

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("random.uniform", Tolerance.EXACT, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor t = in.uniform(0, 1, n), u = in.uniform(0, 1, n);
                        in.backend().random().uniform(t, -0.5f, 2f, 42);
                        in.backend().random().uniform(u, 0f, 1f, -7_000_000_000L);
                        out.add("n=" + n, t).add("n=" + n + " another seed", u);
                    }
                }),
                ParityCase.of("random.normal", NORMALS, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor t = in.uniform(0, 1, n);
                        in.backend().random().normal(t, 0.5f, 0.02f, 1234);
                        out.add("n=" + n, t);
                    }
                }),
                ParityCase.of("random.truncatedNormal", NORMALS, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor t = in.uniform(0, 1, n);
                        in.backend().random().truncatedNormal(t, 0f, 1f, 99);
                        out.add("n=" + n, t);
                    }
                }),
                ParityCase.of("random.keepMask", Tolerance.EXACT, (in, out) -> {
                    for (int n : SIZES) {
                        for (float p : new float[] {0f, 0.3f, 0.9f}) {
                            Tensor t = in.uniform(0, 1, n);
                            in.backend().random().keepMask(t, p, 5 + n);
                            out.add("n=" + n + " p=" + p, t);
                        }
                    }
                }),
                ParityCase.of("random.blockwiseMask", Tolerance.EXACT, (in, out) -> {
                    for (BlockwiseMasking masking : new BlockwiseMasking[] {BlockwiseMasking.beit(8), BlockwiseMasking.beit(14),
                            new BlockwiseMasking(4, 6, 0.5)}) {
                        for (int b : new int[] {1, 33}) {
                            Tensor images = in.ints(100_000, b), mask = in.ints(2, b, masking.patches());
                            in.backend().random().blockwiseMask(images, masking, 77, mask);
                            out.add(masking.height() + "x" + masking.width() + " grid, " + b + " images", mask);
                        }
                    }
                }));
    }
}
