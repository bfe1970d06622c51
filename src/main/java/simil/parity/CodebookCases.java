package simil.parity;

import java.util.List;
import simil.tensor.Tensor;

/**
 * The visual tokenizers' ops: nearest codebook rows (vectors near their rows, so the nearest is clear, and rows
 * repeated in the codebook, whose tie goes to the lower index), code counts, and Lloyd's update with unused codes.
 */
final class CodebookCases {
    private CodebookCases() {}

    /** n, C, V. */
    private static final int[][] SHAPES = {{1000, 48, 512}, {33, 3, 8}, {1, 1, 1}};

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("codebooks.nearest", Tolerance.of(1e-4, 1e-4), (in, out) -> {
                    for (int[] s : SHAPES) {
                        int n = s[0], c = s[1], v = s[2];
                        float[] book = in.uniformValues(v * c, -1, 1);
                        // Every eighth row repeats the one before it.
                        for (int k = 1; k < v; k += 8) System.arraycopy(book, (k - 1) * c, book, k * c, c);
                        float[] x = new float[n * c];
                        for (int i = 0; i < n; i++) {
                            int row = in.nextInt(v);
                            float[] noise = in.uniformValues(c, -0.05f, 0.05f);
                            for (int j = 0; j < c; j++) x[i * c + j] = book[row * c + j] + noise[j];
                        }
                        Tensor codebook = in.floats(book, v, c), xt = in.floats(x, n, c);
                        Tensor codes = in.ints(v, n), distances = in.uniform(-1, 1, n), codes2 = in.ints(v, n);
                        in.backend().codebooks().nearest(xt, codebook, codes, distances);
                        in.backend().codebooks().nearest(xt, codebook, codes2, null);
                        String name = n + "x" + c + " against " + v;
                        out.add(name + " codes", codes).add(name + " distances", distances).add(name + " codes without distances", codes2);
                    }
                }),
                ParityCase.of("codebooks.countCodes", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : SHAPES) {
                        Tensor codes = in.ints(s[2], s[0]), counts = in.ints(100, s[2]);
                        in.backend().codebooks().countCodes(codes, counts);
                        out.add(s[0] + " codes of " + s[2], counts);
                    }
                }),
                ParityCase.of("codebooks.kMeansUpdate", Tolerance.of(1e-6, 1e-6), (in, out) -> {
                    for (int[] s : SHAPES) {
                        // Codes drawn from half the codebook: the other half keeps its centroids.
                        Tensor x = in.uniform(-1, 1, s[0], s[1]), codes = in.ints(Math.max(1, s[2] / 2), s[0]);
                        Tensor centroids = in.uniform(-1, 1, s[2], s[1]), counts = in.ints(100, s[2]);
                        in.backend().codebooks().kMeansUpdate(x, codes, centroids, counts);
                        String name = s[0] + "x" + s[1] + " into " + s[2];
                        out.add(name + " centroids", centroids).add(name + " counts", counts);
                    }
                }));
    }
}
