package simil.scoring;

import simil.data.PairList;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A pair list's images as rows of a per-image matrix (embeddings, class posteriors), int32 on the device: uploaded
 * once for the whole list, so that each batch of pairs gathers its rows through slices ({@link #first}{@code .slice(from,
 * to)}) without the host.
 */
public record PairRows(Tensor first, Tensor second) implements AutoCloseable {
    /** {@code rowOf}: store index → row of the embeddings ({@link PairListScorer#rowsOf}). */
    public static PairRows of(Backend backend, PairList pairs, int[] rowOf) {
        int n = pairs.size();
        int[] first = new int[n], second = new int[n];
        for (int k = 0; k < n; k++) {
            first[k] = rowOf[pairs.first()[k]];
            second[k] = rowOf[pairs.second()[k]];
        }
        return new PairRows(backend.fromIntArray(first, n), backend.fromIntArray(second, n));
    }

    @Override
    public void close() {
        first.close();
        second.close();
    }
}
