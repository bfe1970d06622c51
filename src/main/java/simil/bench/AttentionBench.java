package simil.bench;

import java.util.Arrays;
import simil.backend.Backends;
import simil.layers.MultiHeadSelfAttention;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * BEiT-tiny self-attention forward+backward (batch 64, 8×8 grid + CLS = 65 tokens, dim 192, 3 heads, q/v
 * biases, relative position bias), median over timed repetitions. Prints one JSON line; bench/attention_vs_torch.sh
 * runs it beside bench/torch_attention.py. Usage: AttentionBench [--batch N] [--reps N] [--device D].
 */
public final class AttentionBench {
    private static final int DIM = 192, HEADS = 3, GRID = 8, WARMUP = 5;

    public static void main(String[] args) {
        int batch = 64, reps = 20;
        String device = "cpu";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                case "--device" -> device = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Backend be = Backends.open(device);
        int tokens = GRID * GRID + 1;
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(be, "attn", DIM, HEADS, GRID).init(1);
        for (Parameter p : attention.parameters()) be.random().normal(p.value(), 0f, 0.02f, p.name().hashCode());
        Tensor x = be.zeros(batch, tokens, DIM), dy = be.zeros(batch, tokens, DIM);
        be.random().normal(x, 0f, 1f, 2);
        be.random().normal(dy, 0f, 1f, 3);

        double[] ms = new double[reps];
        for (int i = 0; i < WARMUP + reps; i++) {
            long start = System.nanoTime();
            attention.forward(x, true);
            attention.backward(dy);
            if (i >= WARMUP) ms[i - WARMUP] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("{\"bench\": \"attention\", \"impl\": \"simil\", \"backend\": \"%s\", \"batch\": %d, \"tokens\": %d, "
                + "\"dim\": %d, \"heads\": %d, \"reps\": %d, \"median_ms\": %.2f, \"min_ms\": %.2f}%n",
                be.name(), batch, tokens, DIM, HEADS, reps, ms[reps / 2], ms[0]);
    }
}
