package simil.training;

import simil.data.PairList;
import simil.data.Split;
import simil.layers.Buffers;
import simil.models.MetricNetwork;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.scoring.PairListScorer;
import simil.tensor.Tensor;

/**
 * Trains the metric network alone on cached embeddings (the tower frozen): a pair step costs three
 * small matrix products instead of two tower passes, so many epochs of balanced pairs fit in minutes.
 */
final class MetricPhase extends BalancedPairPhase {
    static final int BATCH = 256;

    private final MetricNetwork metric;
    private final Tensor trainEmbeddings, validationEmbeddings;
    private final int[] trainRow, validationRow;
    private Tensor firstIds, secondIds, first, second;

    /** {@code trainEmbeddings} row r belongs to store image train.indices()[r]; likewise for validation. */
    MetricPhase(MetricNetwork metric, Tensor trainEmbeddings, Tensor validationEmbeddings, Split train, Split validation,
                int storeSize, Recipe recipe, int pairsPerEpoch, Adam optimizer, LrSchedule schedule) {
        super(trainEmbeddings.backend(), "metric", train, validation, VALIDATION_PAIRS * 5, recipe.seed() + 31, BATCH,
                recipe.metricEpochs(), pairsPerEpoch, optimizer, schedule);
        this.metric = metric;
        this.trainEmbeddings = trainEmbeddings;
        this.validationEmbeddings = validationEmbeddings;
        this.trainRow = PairListScorer.rowsOf(train.indices(), storeSize);
        this.validationRow = PairListScorer.rowsOf(validation.indices(), storeSize);
    }

    @Override
    protected Tensor logits(PairList pairs, int from, int b, long epoch, boolean training) {
        Tensor embeddings = training ? trainEmbeddings : validationEmbeddings;
        int[] row = training ? trainRow : validationRow;
        int[] a = new int[b], c = new int[b];
        for (int i = 0; i < b; i++) {
            a[i] = row[pairs.first()[from + i]];
            c[i] = row[pairs.second()[from + i]];
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
        return metric.forward(first, second, training);
    }

    @Override
    protected void backward(Tensor dLogits) {
        metric.backward(dLogits);
    }
}
