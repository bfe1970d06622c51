package simil.scoring;

import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.tensor.Tensor;

/**
 * How an evaluation scores a model's pairs: the {@link Scorer}, the model, its classifier head where the scorer uses
 * class posteriors (null otherwise), and the arithmetic of the metric network over all pairs.
 */
public record PairScoring(PairModel model, ClassifierHead head, Scorer scorer, AllPairsScorer.Precision precision) {
    public PairScoring {
        if (scorer.usesPosterior() && head == null) throw new IllegalArgumentException("scorer " + scorer.cliName() + " needs a classifier head");
        if (head != null && head.embeddingSize() != model.embeddingSize()) {
            throw new IllegalArgumentException("a classifier head over " + head.embeddingSize() + " features for embeddings of " + model.embeddingSize());
        }
    }

    /** The metric network alone, at {@code precision}. */
    public static PairScoring metric(PairModel model, AllPairsScorer.Precision precision) {
        return new PairScoring(model, null, Scorer.METRIC, precision);
    }

    /** Class posteriors [N, K] of {@code embeddings} [N, F] where the scorer uses them; null where it does not. */
    public Tensor posteriors(Tensor embeddings) {
        return scorer.usesPosterior() ? head.posteriors(embeddings) : null;
    }

    /** An all-pairs scorer for this scoring. */
    public AllPairsScorer allPairs() {
        return new AllPairsScorer(model.metric(), scorer, model.backend(), precision);
    }
}
