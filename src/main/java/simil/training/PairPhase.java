package simil.training;

import simil.data.ImageBatcher;
import simil.data.PairList;
import simil.data.Split;
import simil.layers.Buffers;
import simil.models.PairModel;
import simil.optim.Adam;
import simil.optim.LrSchedule;
import simil.tensor.Tensor;

/**
 * End-to-end pair training (the reference protocol): both images of each pair go through the shared
 * embedding as one batch of 2B, the metric network scores [a ; b], binary cross-entropy on same/different.
 */
final class PairPhase extends BalancedPairPhase {
    private final PairModel model;
    private final ImageBatcher trainImages, evalImages;
    private Tensor dEmbeddings;

    PairPhase(PairModel model, ImageBatcher trainImages, ImageBatcher evalImages, Split train, Split validation,
              Recipe recipe, Adam optimizer, LrSchedule schedule) {
        super(model.backend(), "pairs", train, validation, VALIDATION_PAIRS, recipe.seed(), recipe.batch(),
                recipe.pairEpochs(), Math.round(train.size() * recipe.pairsPerImage()), optimizer, schedule);
        this.model = model;
        this.trainImages = trainImages;
        this.evalImages = evalImages;
    }

    /** Images of the first members, then the second, as one batch through the shared embedding. */
    @Override
    protected Tensor logits(PairList pairs, int from, int b, long epoch, boolean training) {
        int[] indices = new int[2 * b];
        for (int i = 0; i < b; i++) {
            indices[i] = pairs.first()[from + i];
            indices[b + i] = pairs.second()[from + i];
        }
        Tensor embeddings = model.embed((training ? trainImages : evalImages).load(indices, epoch), training);
        return model.metric().forward(embeddings.slice(0, b), embeddings.slice(b, 2 * b), training);
    }

    @Override
    protected void backward(Tensor dLogits) {
        Tensor[] dPair = model.metric().backward(dLogits);
        int b = dLogits.size();
        dEmbeddings = Buffers.reuse(backend, dEmbeddings, 2 * b, model.embeddingSize());
        backend.tensors().copy(dPair[0], dEmbeddings.slice(0, b));
        backend.tensors().copy(dPair[1], dEmbeddings.slice(b, 2 * b));
        model.embedBackward(dEmbeddings);
    }
}
