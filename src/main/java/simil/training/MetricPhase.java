package simil.training;

import java.util.Map;
import simil.data.BalancedEvalPairs;
import simil.data.BalancedPairSampler;
import simil.data.PairList;
import simil.data.Split;
import simil.layers.BceWithLogitsLoss;
import simil.layers.Buffers;
import simil.models.MetricNetwork;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.scoring.PairListScorer;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Trains the metric network alone on cached embeddings (the tower frozen): a pair step costs three
 * small matrix products instead of two tower passes, so many epochs of balanced pairs fit in minutes.
 */
final class MetricPhase implements Phase {
    private final Backend backend;
    private final MetricNetwork metric;
    private final Tensor trainEmbeddings, validationEmbeddings;
    private final int[] trainRow, validationRow;
    private final BalancedPairSampler sampler;
    private final PairList validationPairs;
    private final int batch, epochs, pairsPerEpoch;
    private final Adam optimizer;
    private final LrSchedule schedule;
    private final BceWithLogitsLoss loss;
    private PairList epochPairs;
    private Tensor firstIds, secondIds, first, second, targets;

    /** {@code trainEmbeddings} row r belongs to store image train.indices()[r]; likewise for validation. */
    MetricPhase(MetricNetwork metric, Tensor trainEmbeddings, Tensor validationEmbeddings, Split train, Split validation,
                int storeSize, Recipe recipe, int pairsPerEpoch, Adam optimizer, LrSchedule schedule) {
        this.backend = trainEmbeddings.backend();
        this.metric = metric;
        this.trainEmbeddings = trainEmbeddings;
        this.validationEmbeddings = validationEmbeddings;
        this.trainRow = PairListScorer.rowsOf(train.indices(), storeSize);
        this.validationRow = PairListScorer.rowsOf(validation.indices(), storeSize);
        this.sampler = new BalancedPairSampler(train, recipe.seed() + 31);
        this.validationPairs = BalancedEvalPairs.generate(validation, BalancedEvalPairs.countAtMost(validation, PairPhase.VALIDATION_PAIRS * 5), recipe.seed() + 17);
        this.batch = 256;
        this.epochs = recipe.metricEpochs();
        this.pairsPerEpoch = pairsPerEpoch / batch * batch;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.loss = new BceWithLogitsLoss(backend);
    }

    @Override public String name() { return "metric"; }
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
        Tensor logits = forward(trainEmbeddings, trainRow, epochPairs, from, batch, true);
        float value = loss.forward(logits, targets);
        metric.backward(loss.backward());
        optimizer.step(lr);
        optimizer.zeroGrad();
        return new StepResult(value, PairPhase.correct(logits, epochPairs, from), batch);
    }

    @Override
    public StepResult validate() {
        double lossSum = 0;
        int right = 0, n = validationPairs.size();
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            Tensor logits = forward(validationEmbeddings, validationRow, validationPairs, from, b, false);
            lossSum += loss.forward(logits, targets) * b;
            right += PairPhase.correct(logits, validationPairs, from);
        }
        return new StepResult(lossSum / n, right, n);
    }

    private Tensor forward(Tensor embeddings, int[] row, PairList pairs, int from, int b, boolean training) {
        int[] a = new int[b], c = new int[b];
        float[] labels = new float[b];
        for (int i = 0; i < b; i++) {
            a[i] = row[pairs.first()[from + i]];
            c[i] = row[pairs.second()[from + i]];
            labels[i] = pairs.same()[from + i] ? 1f : 0f;
        }
        firstIds = Buffers.reuseInts(backend, firstIds, b);
        secondIds = Buffers.reuseInts(backend, secondIds, b);
        backend.writeInts(firstIds, a);
        backend.writeInts(secondIds, c);
        int f = metric.embeddingSize();
        first = Buffers.reuse(backend, first, b, f);
        second = Buffers.reuse(backend, second, b, f);
        backend.attention().embeddingForward(embeddings, firstIds, first);
        backend.attention().embeddingForward(embeddings, secondIds, second);
        targets = Buffers.reuse(backend, targets, b);
        backend.write(targets, labels);
        return metric.forward(first, second, training);
    }
}
