package simil.bench;

import java.util.Arrays;
import java.util.Locale;
import simil.backend.Backends;
import simil.evaluation.ScoreAccumulator;
import simil.layers.BceWithLogitsLoss;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.optim.Adam;
import simil.scoring.AllPairsScorer;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * MatchNet speed at the seed recipe's shapes, the same work as shared/anchors/torch_matchnet_bench.py:
 * training steps (Adam, BCE, batch of pairs, both images through the shared tower as one batch), tower
 * inference images/s, and the metric network over all ordered pairs of 1,000 cached embeddings (ours
 * with the split first layer, in fp32 and in int8 in the same run; metric_all_pairs_per_s is the
 * precision simil eval uses by default). Prints one JSON line. Usage: MatchNetBench [--batch N] [--steps N] [--device D].
 */
public final class MatchNetBench {
    public static void main(String[] args) {
        int batch = 32, steps = 20;
        String device = "cpu";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--device" -> device = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Backend be = Backends.open(device);
        MatchNet model = new MatchNet(be, MatchNetConfig.reference(0));
        Adam adam = Adam.adam(model.parameters(), 0f);
        BceWithLogitsLoss loss = new BceWithLogitsLoss(be);
        Tensor images = be.zeros(2 * batch, 3, 64, 64), targets = be.zeros(batch), dEmbeddings = be.zeros(2 * batch, 256);
        be.random().uniform(images, 0f, 1f, 1);
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) y[i] = i % 2;
        be.write(targets, y);

        double[] stepMs = new double[steps];
        for (int s = -3; s < steps; s++) {
            long start = System.nanoTime();
            Tensor e = model.embed(images, true);
            loss.forward(model.metric().forward(e.slice(0, batch), e.slice(batch, 2 * batch), true), targets);
            Tensor[] d = model.metric().backward(loss.backward());
            be.tensors().copy(d[0], dEmbeddings.slice(0, batch));
            be.tensors().copy(d[1], dEmbeddings.slice(batch, 2 * batch));
            model.embedBackward(dEmbeddings);
            adam.step(1e-4f);
            adam.zeroGrad();
            be.synchronize();
            if (s >= 0) stepMs[s] = (System.nanoTime() - start) / 1e6;
        }
        double trainMs = median(stepMs);

        Tensor inferenceBatch = be.zeros(256, 3, 64, 64);
        be.random().uniform(inferenceBatch, 0f, 1f, 2);
        double[] inferMs = new double[5];
        for (int s = -2; s < inferMs.length; s++) {
            long start = System.nanoTime();
            model.embed(inferenceBatch, false);
            be.synchronize();
            if (s >= 0) inferMs[s] = (System.nanoTime() - start) / 1e6;
        }

        int n = 1000;
        Tensor features = be.zeros(n, 256);
        be.random().normal(features, 0f, 1f, 3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 200;
        double fp32PairsPerS = allPairsPerSecond(model, be, features, labels, AllPairsScorer.Precision.FP32);
        double int8PairsPerS = allPairsPerSecond(model, be, features, labels, AllPairsScorer.Precision.INT8);
        double defaultPairsPerS = AllPairsScorer.DEFAULT == AllPairsScorer.Precision.INT8 ? int8PairsPerS : fp32PairsPerS;

        System.out.printf(Locale.ROOT, "{\"impl\": \"simil\", \"backend\": \"%s\", \"batch_pairs\": %d, \"train_ms_per_step\": %.1f, "
                        + "\"train_pairs_per_s\": %.1f, \"train_images_per_s\": %.1f, \"tower_infer_images_per_s\": %.1f, "
                        + "\"metric_all_pairs_per_s\": %.1f, \"metric_all_pairs_fp32_per_s\": %.1f, \"metric_all_pairs_int8_per_s\": %.1f, "
                        + "\"metric_all_pairs_precision\": \"%s\"}%n",
                be.name(), batch, trainMs, batch * 1000 / trainMs, 2 * batch * 1000 / trainMs,
                256 * 1000 / median(inferMs), defaultPairsPerS, fp32PairsPerS, int8PairsPerS,
                new AllPairsScorer(model.metric(), be, AllPairsScorer.Precision.INT8).effectivePrecision());
    }

    /** All ordered pairs of {@code features} through the metric network at one precision, after a warm-up on 100. */
    private static double allPairsPerSecond(MatchNet model, Backend be, Tensor features, int[] labels, AllPairsScorer.Precision precision) {
        AllPairsScorer scorer = new AllPairsScorer(model.metric(), be, precision);
        scorer.score(features.slice(0, 100), Arrays.copyOf(labels, 100), new ScoreAccumulator(0.5f), null);
        long start = System.nanoTime();
        long pairs = scorer.score(features, labels, new ScoreAccumulator(0.5f), null);
        return pairs / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
