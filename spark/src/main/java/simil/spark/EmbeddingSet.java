package simil.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * N embedded images, row i the image of index i: what the pair jobs broadcast to every executor (N × F floats, 1 GB for
 * a million MatchNet embeddings), each task taking its blocks' rows. {@code labels} are class numbers, indices into
 * {@code classes} (the distinct label strings, sorted), or null when some image has none.
 */
record EmbeddingSet(String[] ids, int[] labels, String[] classes, float[] vectors, int dimension) implements Serializable {
    static EmbeddingSet of(String[] ids, String[] labelNames, float[] vectors, int dimension) {
        boolean labelled = Arrays.stream(labelNames).allMatch(l -> l != null);
        if (!labelled) return new EmbeddingSet(ids, null, null, vectors, dimension);
        String[] classes = EmbeddingsTable.classes(labelNames);
        int[] labels = new int[ids.length];
        for (int i = 0; i < ids.length; i++) labels[i] = Arrays.binarySearch(classes, labelNames[i]);
        return new EmbeddingSet(ids, labels, classes, vectors, dimension);
    }

    int count() { return ids.length; }

    /** Rows [from, to) as one array, row-major. */
    float[] rows(int from, int to) {
        return Arrays.copyOfRange(vectors, from * dimension, to * dimension);
    }
}
