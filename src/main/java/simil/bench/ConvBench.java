package simil.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import simil.backend.Backends;
import simil.layers.BatchNorm;
import simil.layers.Conv2d;
import simil.layers.Layer;
import simil.layers.MaxPool2d;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Speed of sgemm and of MatchNet's conv stack (5 convolutions and 3 max pools, batch 64, 64×64 RGB; ReLU
 * left out here and in bench/torch_conv_stack.py alike). Prints one JSON object per line:
 * {"bench", "name", "ms" (median), "gflops"}; bench/conv_vs_torch.sh sets them beside PyTorch's.
 *
 * <p>Run: {@code java -cp target/simil.jar simil.bench.ConvBench [steps [device]]}.
 */
public final class ConvBench {
    private static final int BATCH = 64;

    private final Backend be;

    private ConvBench(Backend be) {
        this.be = be;
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        ConvBench bench = new ConvBench(Backends.open(args.length > 1 ? args[1] : "cpu"));
        bench.sgemm(1024, 1024, 1024, steps);
        bench.sgemm(64, 1024, 600, steps);   // conv2 forward for one image: K × PQ × CRS
        bench.sgemm(96, 256, 864, steps);    // conv4 forward for one image
        bench.sgemm(600, 1024, 64, steps);   // conv2 data gradient for one image: CRS × PQ × K
        bench.stack(steps);
        bench.layers(steps);
        bench.batchNorms(steps);
    }

    private void sgemm(int m, int n, int k, int steps) {
        Tensor a = normal(1, m, k), b = normal(2, k, n), c = be.zeros(m, n);
        double ms = medianMs(steps * 5, () -> be.blas().gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n));
        report("sgemm", m + "x" + n + "x" + k, ms, 2.0 * m * n * k);
    }

    /** The tower's feature extractor without its ReLUs, as one forward + backward step. */
    private List<Layer> matchNetConvStack() {
        return List.of(
                new Conv2d(be, "conv1", 3, 24, 7, 1, 3, true).init(1).inputNeedsGrad(false),
                new MaxPool2d(be, 3, 2, 1),
                new Conv2d(be, "conv2", 24, 64, 5, 1, 2, true).init(2),
                new MaxPool2d(be, 3, 2, 1),
                new Conv2d(be, "conv3", 64, 96, 3, 1, 1, true).init(3),
                new Conv2d(be, "conv4", 96, 96, 3, 1, 1, true).init(4),
                new Conv2d(be, "conv5", 96, 64, 3, 1, 1, true).init(5),
                new MaxPool2d(be, 3, 2, 1));
    }

    /** Forward FLOPs of each convolution at batch 64 (2·N·K·C·R·S·P·Q); pools are not counted. */
    private static final double[] CONV_FORWARD_FLOPS = {
        2.0 * BATCH * 24 * 3 * 49 * 64 * 64,
        2.0 * BATCH * 64 * 24 * 25 * 32 * 32,
        2.0 * BATCH * 96 * 64 * 9 * 16 * 16,
        2.0 * BATCH * 96 * 96 * 9 * 16 * 16,
        2.0 * BATCH * 64 * 96 * 9 * 16 * 16,
    };

    private void stack(int steps) {
        List<Layer> layers = matchNetConvStack();
        Tensor x = normal(7, BATCH, 3, 64, 64);
        Tensor dy = normal(8, BATCH, 64, 8, 8);
        double forward = Arrays.stream(CONV_FORWARD_FLOPS).sum();
        // Backward: weight gradients for every conv, data gradients for all but the first.
        double flops = forward * 3 - CONV_FORWARD_FLOPS[0];
        double ms = medianMs(steps, () -> {
            Tensor t = x;
            for (Layer l : layers) t = l.forward(t, true);
            Tensor g = dy;
            for (int i = layers.size() - 1; i >= 0 && g != null; i--) g = layers.get(i).backward(g);
        });
        report("stack", "matchnet_conv_stack_fwd_bwd", ms, flops);
        report("stack", "matchnet_conv_stack_fwd", medianMs(steps, () -> {
            Tensor t = x;
            for (Layer l : layers) t = l.forward(t, true);
        }), forward);
    }

    /** Each convolution alone: forward, and forward + backward. */
    private void layers(int steps) {
        List<Layer> stack = matchNetConvStack();
        Tensor x = normal(9, BATCH, 3, 64, 64);
        List<Tensor> inputs = new ArrayList<>();
        for (Layer l : stack) {
            inputs.add(x);
            x = l.forward(x, true);
        }
        int conv = 0;
        for (int i = 0; i < stack.size(); i++) {
            if (!(stack.get(i) instanceof Conv2d layer)) continue;
            Tensor in = inputs.get(i);
            Tensor y = layer.forward(in, true);
            Tensor dy = normal(10 + i, y.shape());
            double fwd = CONV_FORWARD_FLOPS[conv];
            String name = "conv" + (conv + 1);
            report("layer", name + "_fwd", medianMs(steps, () -> layer.forward(in, true)), fwd);
            report("layer", name + "_fwd_bwd", medianMs(steps, () -> {
                layer.forward(in, true);
                layer.backward(dy);
            }), conv == 0 ? 2 * fwd : 3 * fwd);
            conv++;
        }
    }

    /** Batch norm in training after conv1, conv2 and conv3–5 (the default recipe's tower): forward + backward. */
    private void batchNorms(int steps) {
        int[][] shapes = {{BATCH, 24, 64, 64}, {BATCH, 64, 32, 32}, {BATCH, 96, 16, 16}};
        for (int[] shape : shapes) {
            BatchNorm bn = new BatchNorm(be, "bn", shape[1]);
            Tensor x = normal(20 + shape[1], shape), dy = normal(21 + shape[1], shape);
            double ms = medianMs(steps, () -> {
                bn.forward(x, true);
                bn.backward(dy);
            });
            report("norm", "batchnorm_" + shape[1] + "x" + shape[2] + "x" + shape[3] + "_fwd_bwd", ms, 0);
        }
    }

    private static double medianMs(int steps, Runnable body) {
        for (int i = 0; i < 3; i++) body.run();
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return steps % 2 == 1 ? ms[steps / 2] : (ms[steps / 2 - 1] + ms[steps / 2]) / 2;
    }

    private static void report(String bench, String name, double ms, double flops) {
        System.out.printf(Locale.ROOT, "{\"bench\": \"%s\", \"name\": \"%s\", \"ms\": %.3f, \"gflops\": %.1f}%n",
                bench, name, ms, flops / ms / 1e6);
    }

    private Tensor normal(long seed, int... shape) {
        Tensor t = be.zeros(shape);
        be.random().normal(t, 0, 1, seed);
        return t;
    }
}
