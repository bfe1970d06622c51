package simil.training;

import simil.data.PairList;
import simil.data.Split;
import simil.layers.Buffers;
import simil.models.MetricNetwork;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.scoring.PairListScorer;
import simil.scoring.PairRows;
import simil.tensor.Tensor;

/**
 * Trains the metric network alone on cached embeddings (the tower frozen): a pair step costs three
 * small matrix products instead of two tower passes, so many epochs of balanced pairs fit in minutes. The pairs'
 * embedding rows go to the device once per list (each epoch's, the validation's): a step uploads nothing.
 */
final class MetricPhase extends BalancedPairPhase {
    static final int BATCH = 256;

    private final MetricNetwork metric;
    private final Tensor trainEmbeddings, validationEmbeddings;
    private final ListedRows trainRows, validationRows;
    private Tensor first, second;

    /** {@code trainEmbeddings} row r belongs to store image train.indices()[r]; likewise for validation. */
    MetricPhase(MetricNetwork metric, Tensor trainEmbeddings, Tensor validationEmbeddings, Split train, Split validation,
                int storeSize, Recipe recipe, int pairsPerEpoch, Adam optimizer, LrSchedule schedule) {
        super(trainEmbeddings.backend(), "metric", train, validation, VALIDATION_PAIRS * 5, recipe.seed() + 31, BATCH,
                recipe.metricEpochs(), pairsPerEpoch, optimizer, schedule);
        this.metric = metric;
        this.trainEmbeddings = trainEmbeddings;
        this.validationEmbeddings = validationEmbeddings;
        this.trainRows = new ListedRows(PairListScorer.rowsOf(train.indices(), storeSize));
        this.validationRows = new ListedRows(PairListScorer.rowsOf(validation.indices(), storeSize));
    }

    @Override
    protected Tensor logits(PairList pairs, int from, int b, long epoch, boolean training) {
        Tensor embeddings = training ? trainEmbeddings : validationEmbeddings;
        PairRows rows = (training ? trainRows : validationRows).of(pairs);
        int f = metric.embeddingSize();
        first = Buffers.reuse(backend, first, b, f);
        second = Buffers.reuse(backend, second, b, f);
        backend.attention().embeddingForward(embeddings, rows.first().slice(from, from + b), first);
        backend.attention().embeddingForward(embeddings, rows.second().slice(from, from + b), second);
        return metric.forward(first, second, training);
    }

    /** A pair list's rows in one embedding matrix, on the device: uploaded again only when the list changes (each epoch). */
    private final class ListedRows {
        private final int[] rowOf;
        private PairList listed;
        private PairRows rows;

        ListedRows(int[] rowOf) { this.rowOf = rowOf; }

        PairRows of(PairList pairs) {
            if (pairs != listed) {
                if (rows != null) rows.close();
                rows = PairRows.of(backend, pairs, rowOf);
                listed = pairs;
            }
            return rows;
        }
    }

    @Override
    protected void backward(Tensor dLogits) {
        metric.backward(dLogits);
    }
}
