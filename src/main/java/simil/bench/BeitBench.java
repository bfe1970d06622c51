package simil.bench;

import java.util.Arrays;
import java.util.stream.IntStream;
import simil.backend.Backends;
import simil.layers.BceWithLogitsLoss;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.optim.Adam;
import simil.tensor.Backend;
import simil.tensor.BlockwiseMasking;
import simil.tensor.Rng;
import simil.tensor.Tensor;
import simil.training.MimModel;

/**
 * BEiT-tiny training throughput, the same steps as ../shared/anchors/torch_beit_bench.py: masked image modeling
 * (batch 64, 8×8 grid, 40% of patches masked, fixed random visual tokens over a vocabulary of 8192, softmax on
 * masked positions only, AdamW) in images/s, and pair fine-tuning (both images through the shared encoder,
 * mean-pooled patch tokens, bottleneck 256, metric network, BCE, AdamW) in pairs/s. Mean over timed steps after
 * warmup, as the anchor measures. Prints one JSON line. Usage: BeitBench [--batch N] [--steps N] [--vocab N] [--device D] [--config tiny|small|base|cpu].
 */
public final class BeitBench {
    private static final int WARMUP = 2;

    public static void main(String[] args) {
        int batch = 64, steps = 5, vocab = 8192;
        String device = "cpu", preset = "tiny";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--vocab" -> vocab = Integer.parseInt(args[i + 1]);
                case "--device" -> device = args[i + 1];
                case "--config" -> preset = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Backend be = Backends.open(device);
        BeitConfig config = BeitConfig.preset(preset, 0).withVocabSize(vocab);
        // Each model is built, timed and dropped in turn, so that only one set of activation buffers is alive.
        double mimSeconds = mimStep(be, config, batch, steps);
        double pairSeconds = pairStep(be, config, batch, steps);
        System.out.printf("{\"bench\": \"beit\", \"impl\": \"simil\", \"backend\": \"%s\", \"batch\": %d, \"dim\": %d, \"depth\": %d, "
                + "\"heads\": %d, \"vocab\": %d, \"steps\": %d, \"mim_images_per_s\": %.1f, \"pair_pairs_per_s\": %.1f}%n",
                be.name(), batch, config.dim(), config.depth(), config.heads(), vocab, steps, batch / mimSeconds, batch / pairSeconds);
    }

    private static double mimStep(Backend be, BeitConfig config, int batch, int steps) {
        int n = config.patches(), vocab = config.vocabSize();

        Tensor x = be.zeros(batch, 3, 64, 64);
        be.random().uniform(x, 0f, 1f, 1);
        BlockwiseMasking masking = BlockwiseMasking.beit(config.grid());
        Tensor mask = be.intZeros(batch, n);
        be.random().blockwiseMask(be.fromIntArray(IntStream.range(0, batch).toArray(), batch), masking, 2, mask);
        int[] tokenValues = new int[batch * n];
        for (int i = 0; i < tokenValues.length; i++) tokenValues[i] = (int) Long.remainderUnsigned(Rng.bits(3, i), vocab);
        Tensor tokens = be.fromIntArray(tokenValues, batch, n);
        MimModel mim = new MimModel(be, config, batch, masking.target());
        Adam mimOpt = Adam.adamW(mim.parameters(), 0.05f);
        int b = batch;
        return timed(be, steps, () -> {
            mim.forward(x, mask, tokens, true);
            mim.backward(b);
            mimOpt.step(1.5e-3f);
            mimOpt.zeroGrad();
        });
    }

    private static double pairStep(Backend be, BeitConfig config, int batch, int steps) {
        int b = batch;
        Beit pair = new Beit(be, config);
        Adam pairOpt = Adam.adamW(pair.parameters(), 0.05f);
        Tensor both = be.zeros(2 * batch, 3, 64, 64);
        be.random().uniform(both, 0f, 1f, 4);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) labels[i] = Rng.uniform(5, i) > 0.5f ? 1f : 0f;
        Tensor targets = be.fromArray(labels, batch);
        BceWithLogitsLoss loss = new BceWithLogitsLoss(be);
        Tensor dEmbeddings = be.zeros(2 * batch, pair.embeddingSize());
        return timed(be, steps, () -> {
            Tensor e = pair.embed(both, true);
            Tensor logits = pair.metric().forward(e.slice(0, b), e.slice(b, 2 * b), true);
            loss.forward(logits, targets);
            Tensor[] d = pair.metric().backward(loss.backward());
            be.tensors().copy(d[0], dEmbeddings.slice(0, b));
            be.tensors().copy(d[1], dEmbeddings.slice(b, 2 * b));
            pair.embedBackward(dEmbeddings);
            pairOpt.step(5e-5f);
            pairOpt.zeroGrad();
        });
    }

    /** Mean seconds per step over {@code steps} steps after {@value #WARMUP} warmup steps. */
    private static double timed(Backend be, int steps, Runnable step) {
        for (int i = 0; i < WARMUP; i++) step.run();
        be.synchronize();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) step.run();
        be.synchronize();
        return (System.nanoTime() - start) / 1e9 / steps;
    }
}
