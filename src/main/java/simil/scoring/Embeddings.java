package simil.scoring;

import java.util.Arrays;
import java.util.function.IntConsumer;
import simil.data.ImageBatcher;
import simil.models.PairModel;
import simil.tensor.Tensor;

/**
 * Embeddings of many images, computed once each in evaluation mode (MatchNet's feature caching: N
 * images cost N tower passes, however many pairs are scored afterwards).
 */
public final class Embeddings {
    private Embeddings() {}

    /** [indices.length, model.embeddingSize()]; row r is the embedding of store image indices[r]. */
    public static Tensor compute(PairModel model, ImageBatcher images, int[] indices, int batch) {
        return compute(model, images, indices, batch, done -> {});
    }

    /** As above, telling {@code progress} after each batch how many images are embedded. */
    public static Tensor compute(PairModel model, ImageBatcher images, int[] indices, int batch, IntConsumer progress) {
        Tensor out = model.backend().zeros(indices.length, model.embeddingSize());
        for (int from = 0; from < indices.length; from += batch) {
            int to = Math.min(indices.length, from + batch);
            Tensor e = model.embed(images.load(Arrays.copyOfRange(indices, from, to), 0), false);
            model.backend().tensors().copy(e, out.slice(from, to));
            progress.accept(to);
        }
        return out;
    }
}
