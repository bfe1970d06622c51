package simil.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import simil.scoring.GallerySearch;

/**
 * The best gallery images found so far for one query, best first: gallery indices with the log-odds each was rescored
 * to ({@link GallerySearch.Hit#logit}), ranked as {@code simil search} ranks them, by log-odds and equal ones in gallery
 * order. Merging two keeps the {@code k} best of both, so the tiles of a query's row can be merged in any order.
 */
record TopHits(int k, int[] index, float[] logit) implements Serializable {
    /**
     * The hits of one tile, whose gallery rows start at {@code firstGallery}, without the gallery image {@code self}
     * (-1: none), at most {@code k}.
     */
    static TopHits of(List<GallerySearch.Hit> hits, int firstGallery, int self, int k) {
        int[] index = new int[Math.min(k, hits.size())];
        float[] logit = new float[index.length];
        int kept = 0;
        for (GallerySearch.Hit hit : hits) {
            int i = firstGallery + hit.index();
            if (i == self || kept == index.length) continue;
            index[kept] = i;
            logit[kept++] = hit.logit();
        }
        return new TopHits(k, Arrays.copyOf(index, kept), Arrays.copyOf(logit, kept));
    }

    /** The {@code k} best of these and {@code other}'s. */
    TopHits merge(TopHits other) {
        int n = Math.min(k, index.length + other.index.length);
        int[] mergedIndex = new int[n];
        float[] mergedLogit = new float[n];
        for (int a = 0, b = 0, m = 0; m < n; m++) {
            boolean fromA = b == other.index.length || (a < index.length && before(index[a], logit[a], other.index[b], other.logit[b]));
            mergedIndex[m] = fromA ? index[a] : other.index[b];
            mergedLogit[m] = fromA ? logit[a++] : other.logit[b++];
        }
        return new TopHits(k, mergedIndex, mergedLogit);
    }

    /** Whether gallery image i with log-odds s ranks before j with t. */
    private static boolean before(int i, float s, int j, float t) {
        return s > t || (s == t && i < j);
    }
}
