package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simil.backend.cpu.CpuBackend;
import simil.tensor.Backend;
import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/**
 * The emulator's stand-ins for cuDNN's convolutions against the CPU backend's, over NCHW with stride and padding:
 * forward, backward data (overwriting dx) and backward filter with beta 0 (dw's old contents ignored) and 1.
 */
class EmulatedConvTest {
    private static final Conv2dShape[] SHAPES = {
        new Conv2dShape(2, 3, 9, 7, 4, 3, 3, 1, 1),
        new Conv2dShape(3, 2, 11, 10, 5, 3, 3, 2, 0),
        new Conv2dShape(1, 4, 8, 8, 3, 5, 5, 1, 2),
        new Conv2dShape(2, 3, 12, 9, 2, 7, 7, 2, 3),
        new Conv2dShape(2, 5, 6, 7, 3, 3, 1, 1, 1),
        new Conv2dShape(4, 6, 5, 5, 7, 1, 1, 1, 0),
    };

    private final EmulatedGpu gpu = new EmulatedGpu();
    private final CudaBackend be = new CudaBackend(gpu, 0);
    private final Backend cpu = CpuBackend.get();

    @AfterEach
    void close() {
        gpu.close();
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = random.nextFloat() * 2 - 1;
        return v;
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), what + " at " + i);
    }

    private static int[] xShape(Conv2dShape s) { return new int[] {s.batch(), s.inChannels(), s.height(), s.width()}; }

    private static int[] wShape(Conv2dShape s) { return new int[] {s.outChannels(), s.inChannels(), s.kernelH(), s.kernelW()}; }

    private static int[] yShape(Conv2dShape s) { return new int[] {s.batch(), s.outChannels(), s.outHeight(), s.outWidth()}; }

    private static int size(int[] shape) { return Arrays.stream(shape).reduce(1, (a, b) -> a * b); }

    @Test
    void forwardMatchesTheCpu() {
        for (Conv2dShape s : SHAPES) {
            float[] x = random(size(xShape(s)), 1), w = random(size(wShape(s)), 2);
            Tensor want = cpu.zeros(yShape(s));
            cpu.conv().conv2dForward(s, cpu.fromArray(x, xShape(s)), cpu.fromArray(w, wShape(s)), null, want);
            Tensor y = be.zeros(yShape(s));
            gpu.convForward(s, be.floats(be.fromArray(x, xShape(s))), be.floats(be.fromArray(w, wShape(s))), be.floats(y));
            assertClose(cpu.toArray(want), be.toArray(y), "y of " + s);
        }
    }

    @Test
    void backwardDataOverwritesDxWithTheCpusGradient() {
        for (Conv2dShape s : SHAPES) {
            float[] dy = random(size(yShape(s)), 3), w = random(size(wShape(s)), 4);
            Tensor want = cpu.zeros(xShape(s));
            cpu.conv().conv2dBackwardData(s, cpu.fromArray(dy, yShape(s)), cpu.fromArray(w, wShape(s)), want);
            float[] old = new float[size(xShape(s))];
            Arrays.fill(old, Float.NaN);
            Tensor dx = be.fromArray(old, xShape(s));
            gpu.convBackwardData(s, be.floats(be.fromArray(dy, yShape(s))), be.floats(be.fromArray(w, wShape(s))), be.floats(dx));
            assertClose(cpu.toArray(want), be.toArray(dx), "dx of " + s);
        }
    }

    @Test
    void backwardFilterIsTheCpusGradientPlusBetaTimesDw() {
        for (Conv2dShape s : SHAPES) {
            float[] x = random(size(xShape(s)), 5), dy = random(size(yShape(s)), 6), old = random(size(wShape(s)), 7);
            Tensor want = cpu.fromArray(old, wShape(s));
            cpu.conv().conv2dBackwardWeights(s, cpu.fromArray(x, xShape(s)), cpu.fromArray(dy, yShape(s)), want, null);
            Tensor wantAlone = cpu.zeros(wShape(s));
            cpu.conv().conv2dBackwardWeights(s, cpu.fromArray(x, xShape(s)), cpu.fromArray(dy, yShape(s)), wantAlone, null);
            long xs = be.floats(be.fromArray(x, xShape(s))), dys = be.floats(be.fromArray(dy, yShape(s)));
            Tensor accumulated = be.fromArray(old, wShape(s));
            gpu.convBackwardFilter(s, xs, dys, 1, be.floats(accumulated));
            assertClose(cpu.toArray(want), be.toArray(accumulated), "beta 1, dw of " + s);
            float[] nan = new float[old.length];
            Arrays.fill(nan, Float.NaN);
            Tensor alone = be.fromArray(nan, wShape(s));
            gpu.convBackwardFilter(s, xs, dys, 0, be.floats(alone));
            assertClose(cpu.toArray(wantAlone), be.toArray(alone), "beta 0, dw of " + s);
        }
    }

    @Test
    void badShapesAndTensorsTooSmallAreRefused() {
        Conv2dShape s = SHAPES[0];
        Tensor x = be.zeros(xShape(s)), w = be.zeros(wShape(s)), y = be.zeros(yShape(s));
        Conv2dShape tooBig = new Conv2dShape(2, 3, 9, 7, 4, 11, 3, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> gpu.convForward(tooBig, be.floats(x), be.floats(w), be.floats(y)));
        Conv2dShape moreImages = s.withBatch(8);
        String message = assertThrows(IllegalArgumentException.class,
                () -> gpu.convForward(moreImages, be.floats(x), be.floats(w), be.floats(y))).getMessage();
        assertTrue(message.startsWith("convForward x: 6048 bytes at "), message);
        assertThrows(IllegalArgumentException.class, () -> gpu.convBackwardFilter(s, be.floats(x), be.floats(y), 0.5f, be.floats(w)));
    }
}
