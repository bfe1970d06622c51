package simil.training;

import java.util.Map;
import simil.data.BalancedEvalPairs;
import simil.data.BalancedPairSampler;
import simil.data.PairList;
import simil.data.Split;
import simil.layers.BceWithLogitsLoss;
import simil.layers.Buffers;
import simil.models.PairModel;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * End-to-end pair training (the reference protocol): both images of each pair go through the shared
 * embedding as one batch of 2B, the metric network scores [a ; b], binary cross-entropy on same/different.
 */
final class PairPhase implements Phase {
    static final int VALIDATION_PAIRS = 2000;

    private final PairModel model;
    private final Backend backend;
    private final ImageBatcher trainImages, evalImages;
    private final BalancedPairSampler sampler;
    private final PairList validationPairs;
    private final int batch, epochs, pairsPerEpoch;
    private final Adam optimizer;
    private final LrSchedule schedule;
    private final BceWithLogitsLoss loss;
    private PairList epochPairs;
    private Tensor targets, dEmbeddings;

    PairPhase(PairModel model, ImageBatcher trainImages, ImageBatcher evalImages, Split train, Split validation,
              Recipe recipe, Adam optimizer, LrSchedule schedule) {
        this.model = model;
        this.backend = model.backend();
        this.trainImages = trainImages;
        this.evalImages = evalImages;
        this.sampler = new BalancedPairSampler(train, recipe.seed());
        this.validationPairs = BalancedEvalPairs.generate(validation, BalancedEvalPairs.countAtMost(validation, VALIDATION_PAIRS), recipe.seed() + 17);
        this.batch = recipe.batch();
        this.epochs = recipe.pairEpochs();
        this.pairsPerEpoch = Math.max(batch, Math.round(train.size() * recipe.pairsPerImage()) / batch * batch);
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.loss = new BceWithLogitsLoss(backend);
    }

    @Override public String name() { return "pairs"; }
    @Override public int epochs() { return epochs; }
    @Override public int stepsPerEpoch() { return pairsPerEpoch / batch; }
    @Override public int imagesPerStep() { return 2 * batch; }
    @Override public float lrAt(long step) { return schedule.at(step); }
    @Override public Adam optimizer() { return optimizer; }
    @Override public Map<String, Tensor> extraState() { return Map.of(); }

    @Override
    public void beginEpoch(int epoch) {
        epochPairs = sampler.epoch(epoch, pairsPerEpoch);
    }

    @Override
    public StepResult step(int epoch, int stepInEpoch, float lr) {
        int from = stepInEpoch * batch;
        Tensor logits = forward(trainImages, epochPairs, from, batch, epoch, true);
        float value = loss.forward(logits, targets);
        Tensor[] dPair = model.metric().backward(loss.backward());
        dEmbeddings = Buffers.reuse(backend, dEmbeddings, 2 * batch, model.embeddingSize());
        backend.tensors().copy(dPair[0], dEmbeddings.slice(0, batch));
        backend.tensors().copy(dPair[1], dEmbeddings.slice(batch, 2 * batch));
        model.embedBackward(dEmbeddings);
        optimizer.step(lr);
        optimizer.zeroGrad();
        return new StepResult(value, correct(logits, epochPairs, from), batch);
    }

    @Override
    public StepResult validate() {
        double lossSum = 0;
        int right = 0, n = validationPairs.size();
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            Tensor logits = forward(evalImages, validationPairs, from, b, 0, false);
            lossSum += loss.forward(logits, targets) * b;
            right += correct(logits, validationPairs, from);
        }
        return new StepResult(lossSum / n, right, n);
    }

    /** Logits of pairs [from, from + b): images of the first members, then the second, as one batch. */
    private Tensor forward(ImageBatcher images, PairList pairs, int from, int b, long epoch, boolean training) {
        int[] indices = new int[2 * b];
        float[] labels = new float[b];
        for (int i = 0; i < b; i++) {
            indices[i] = pairs.first()[from + i];
            indices[b + i] = pairs.second()[from + i];
            labels[i] = pairs.same()[from + i] ? 1f : 0f;
        }
        targets = Buffers.reuse(backend, targets, b);
        backend.write(targets, labels);
        Tensor embeddings = model.embed(images.load(indices, epoch), training);
        return model.metric().forward(embeddings.slice(0, b), embeddings.slice(b, 2 * b), training);
    }

    /** Predictions at threshold 0.5 (logit 0) that match the labels. */
    static int correct(Tensor logits, PairList pairs, int from) {
        float[] z = logits.backend().toArray(logits);
        int right = 0;
        for (int i = 0; i < z.length; i++) if ((z[i] > 0) == pairs.same()[from + i]) right++;
        return right;
    }
}
