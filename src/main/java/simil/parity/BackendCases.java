package simil.parity;

import java.nio.FloatBuffer;
import java.util.List;
import simil.tensor.Backend;
import simil.tensor.StagingBuffer;
import simil.tensor.Tensor;

/** What {@link Backend} itself does: new tensors, host reads and writes, asynchronous copies out, staged copies in. */
final class BackendCases {
    private BackendCases() {}

    /** Sizes around the 32 lanes of a warp and the 256 threads of a block. */
    static final int[] SIZES = {1, 31, 32, 257, 4096, 10007};

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("backend.zeros", Tolerance.EXACT, (in, out) -> {
                    Backend be = in.backend();
                    for (int n : SIZES) {
                        try (Tensor f = be.zeros(n); Tensor i = be.intZeros(3, n)) {
                            out.add("zeros " + n, be.toArray(f)).add("intZeros 3x" + n, be.toIntArray(i));
                        }
                    }
                }),
                ParityCase.of("backend.writeAndRead", Tolerance.EXACT, (in, out) -> {
                    Backend be = in.backend();
                    float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, 1f / 3};
                    Tensor t = in.uniform(-1, 1, 4, special.length);
                    be.write(t.slice(1, 2).reshape(special.length), special);
                    out.add("write into a row", t).add("toArray of a row", be.toArray(t.slice(1, 2)));
                    Tensor ints = in.ints(1000, 5, 33);
                    int[] values = new int[33];
                    for (int i = 0; i < values.length; i++) values[i] = Integer.MAX_VALUE - 7 * i;
                    be.writeInts(ints.slice(3, 4).reshape(33), values);
                    out.add("writeInts into a row", ints).add("toIntArray of a row", be.toIntArray(ints.slice(2, 4)));
                    for (int n : SIZES) {
                        float[] v = in.uniformValues(n, -5, 5);
                        try (Tensor f = be.fromArray(v, n)) {
                            out.add("fromArray " + n, be.toArray(f));
                        }
                    }
                }),
                ParityCase.of("backend.copyToHostAsync", Tolerance.EXACT, (in, out) -> {
                    Backend be = in.backend();
                    Tensor t = in.uniform(-1, 1, 7, 513);
                    float[] host = new float[3 * 513 + 11];
                    be.tensors().scale(t, 2f);
                    be.copyToHostAsync(t.slice(0, 1), host, 0);
                    be.copyToHostAsync(t.slice(4, 6), host, 513 + 5);
                    be.tensors().fill(t.slice(0, 1), 7f);
                    be.synchronize();
                    out.add("host after synchronize", host).add("tensor after the fill", t);
                }),
                ParityCase.of("backend.copyIn", Tolerance.EXACT, (in, out) -> {
                    Backend be = in.backend();
                    StagingBuffer staging = be.stagingBuffer(3000);
                    Tensor first = in.uniform(-1, 1, 2, 1000), second = in.uniform(-1, 1, 3000);
                    FloatBuffer f = staging.floats();
                    float[] a = in.uniformValues(3000, -2, 2);
                    f.put(0, a);
                    be.copyIn(staging, first.slice(1, 2));
                    // Refilling waits for the copy before: the first tensor must still get the first batch.
                    float[] b = in.uniformValues(3000, -2, 2);
                    staging.floats().put(0, b);
                    be.copyIn(staging, second);
                    out.add("a short batch into a row", first).add("a full batch", second);
                }));
    }
}
