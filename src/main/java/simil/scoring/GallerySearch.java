package simil.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import simil.models.ClassifierHead;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.PosteriorScore;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;

/**
 * The best matches of query images in a gallery of embedded images, by the metric network's score. The gallery's
 * halves of the split first layer ({@link SplitFirstLayer}) are computed once, when the search is made: a query then
 * costs its own two halves and, per gallery image, one elementwise sum and the network's second and third layers
 * ({@link PairTiles}, int8 by default), as in the all-pairs evaluation. A {@linkplain MetricNetwork#symmetric()
 * symmetric} network scores both orders, as {@link MetricNetwork#forward} does.
 *
 * <p>The best {@link #candidates} of each query are then rescored through {@link MetricNetwork#forward} on the
 * concatenated pair, the path {@code simil compare} takes: the hits' probabilities are those of comparing the two
 * images, and the int8 kernel's rounding (its logits are within about 1% of the exact ones) can only reorder
 * gallery images near the k-th best among themselves, never hide one far above it.
 *
 * <p>A {@link Scorer} that uses class posteriors ranks by them too: the gallery's posteriors are computed once, a
 * block of queries' posterior scores against a tile of the gallery is one matrix product, and the candidates' q are
 * recomputed on the host in double. Scores are ranked by their log-odds (the metric network's logit; logit(q); the
 * mix's, {@link PosteriorScore#mixedLogOdds}), which do not saturate as probabilities do.
 */
public final class GallerySearch {
    /** Queries scored together: a tile holds QUERY_BLOCK × (TILE_PAIRS / QUERY_BLOCK) pairs at most. */
    private static final int QUERY_BLOCK = 64, TILE_PAIRS = 8192;

    /**
     * A gallery image and its score against one query: {@code index} is its row in the gallery, {@code logit} the
     * score's log-odds (the metric network's logit for the metric scorer).
     */
    public record Hit(int index, float logit) {
        public float probability() { return Sigmoid.of(logit); }
    }

    private final MetricNetwork metric;
    private final ClassifierHead head;
    private final Scorer scorer;
    private final Backend backend;
    private final Tensor embeddings, galleryFirst, gallerySecond, logits, reversed, galleryPosteriors, posteriorTile;
    private final PairTiles tiles;
    private final float priorShift;

    /** A search over the rows of {@code embeddings} [N, F], the gallery, scoring at {@code precision} where the backend can. */
    public GallerySearch(MetricNetwork metric, Backend backend, Tensor embeddings, AllPairsScorer.Precision precision) {
        this(metric, null, Scorer.METRIC, backend, embeddings, precision);
    }

    /** As above, by {@code scorer}; {@code head} gives the class posteriors where it uses them (else null). */
    public GallerySearch(MetricNetwork metric, ClassifierHead head, Scorer scorer, Backend backend, Tensor embeddings,
                         AllPairsScorer.Precision precision) {
        if (scorer.usesPosterior() && head == null) throw new IllegalArgumentException("scorer " + scorer.cliName() + " needs a classifier head");
        this.metric = metric;
        this.head = head;
        this.scorer = scorer;
        this.backend = backend;
        this.embeddings = embeddings.requireShape("gallery embeddings", embeddings.dim(0), metric.embeddingSize());
        boolean metricScores = scorer.usesMetric();
        gallerySecond = metricScores ? SplitFirstLayer.secondHalf(metric, backend, embeddings) : null;
        galleryFirst = metricScores && metric.symmetric() ? SplitFirstLayer.firstHalf(metric, backend, embeddings) : null;
        tiles = metricScores ? new PairTiles(metric, backend, precision, TILE_PAIRS) : null;
        logits = metricScores ? backend.zeros(TILE_PAIRS) : null;
        reversed = metricScores && metric.symmetric() ? backend.zeros(TILE_PAIRS) : null;
        galleryPosteriors = scorer.usesPosterior() ? head.posteriors(embeddings) : null;
        posteriorTile = scorer.usesPosterior() ? backend.zeros(TILE_PAIRS) : null;
        priorShift = scorer == Scorer.BOTH ? PosteriorScore.priorShift(head.classes()) : 0f;
    }

    /** Gallery images. */
    public int size() { return embeddings.dim(0); }

    /** The precision the gallery is scored at: the requested one, or fp32 where the backend has no int8 kernel (or no metric network scores). */
    public AllPairsScorer.Precision precision() { return tiles == null ? AllPairsScorer.Precision.FP32 : tiles.precision(); }

    /** The log-odds a pair is ranked by, from its metric logit {@code z} and posterior score {@code q} (each unused where the scorer does not use it). */
    private float rankingLogOdds(float z, float q) {
        return switch (scorer) {
            case METRIC -> z;
            case POSTERIOR -> (float) PosteriorScore.logOdds(q);
            case BOTH -> (float) PosteriorScore.mixedLogOdds(z, q, priorShift);
        };
    }

    /** How many of a query's best-scoring gallery images are rescored exactly, for {@code k} hits. */
    static int candidates(int k, int gallery) {
        return (int) Math.min(gallery, 2L * k + 16);
    }

    /**
     * For each row of {@code queries} [Q, F], its {@code k} best gallery images (all of them when the gallery is
     * smaller), best first; equal scores in gallery order.
     */
    public List<List<Hit>> search(Tensor queries, int k) {
        if (k < 1) throw new IllegalArgumentException("k " + k + ": must be 1 or more");
        queries.requireShape("query embeddings", queries.dim(0), metric.embeddingSize());
        List<List<Hit>> hits = new ArrayList<>();
        for (int q0 = 0; q0 < queries.dim(0); q0 += QUERY_BLOCK) {
            Tensor block = queries.slice(q0, Math.min(queries.dim(0), q0 + QUERY_BLOCK));
            TopScores[] best = scoreGallery(block, candidates(k, size()));
            for (int r = 0; r < block.dim(0); r++) hits.add(rescore(block.slice(r, r + 1), best[r].indices(), k));
        }
        return hits;
    }

    /** The {@code m} best gallery images of each query of {@code block} by the tiles' scores. */
    private TopScores[] scoreGallery(Tensor block, int m) {
        int q = block.dim(0), n = size(), columns = Math.max(1, TILE_PAIRS / q);
        Tensor queryFirst = tiles == null ? null : SplitFirstLayer.firstHalf(metric, backend, block);
        Tensor querySecond = reversed == null ? null : SplitFirstLayer.secondHalf(metric, backend, block);
        Tensor queryPosteriors = galleryPosteriors == null ? null : head.posteriors(block);
        int classes = head == null ? 0 : head.classes();
        TopScores[] best = new TopScores[q];
        for (int r = 0; r < q; r++) best[r] = new TopScores(m);
        for (int c0 = 0; c0 < n; c0 += columns) {
            int c1 = Math.min(n, c0 + columns), c = c1 - c0;
            float[] forward = null, backward = null, posterior = null;
            if (tiles != null) {
                Tensor z = logits.slice(0, q * c);
                tiles.score(queryFirst, gallerySecond.slice(c0, c1), z);
                forward = backend.toArray(z);
            }
            if (reversed != null) {
                Tensor zr = reversed.slice(0, q * c);
                tiles.score(galleryFirst.slice(c0, c1), querySecond, zr);
                backward = backend.toArray(zr);
            }
            if (queryPosteriors != null) {
                Tensor qt = posteriorTile.slice(0, q * c);
                backend.blas().gemm(false, true, q, c, classes, 1f, queryPosteriors, 0, classes, galleryPosteriors, c0 * classes, classes,
                        0f, qt, 0, c);
                posterior = backend.toArray(qt);
            }
            for (int r = 0; r < q; r++) {
                for (int j = 0; j < c; j++) {
                    float z = forward == null ? 0f : forward[r * c + j];
                    // The reversed tile's entry j · Q + r is the logit of (gallery image, query).
                    if (backward != null) z = 0.5f * (z + backward[j * q + r]);
                    best[r].offer(c0 + j, rankingLogOdds(z, posterior == null ? 0f : posterior[r * c + j]));
                }
            }
        }
        if (queryFirst != null) queryFirst.close();
        if (querySecond != null) querySecond.close();
        if (queryPosteriors != null) queryPosteriors.close();
        return best;
    }

    /**
     * The {@code k} best of {@code candidates} for {@code query} [1, F]: scored on the concatenated pair, and by posterior
     * scores summed in double from the posteriors' rows.
     */
    private List<Hit> rescore(Tensor query, int[] candidates, int k) {
        int m = candidates.length, f = metric.embeddingSize();
        try (Tensor a = backend.zeros(m, f); Tensor b = backend.zeros(m, f)) {
            float[] z = new float[m];
            if (scorer.usesMetric()) {
                for (int i = 0; i < m; i++) {
                    backend.tensors().copy(query, a.slice(i, i + 1));
                    backend.tensors().copy(embeddings.slice(candidates[i], candidates[i] + 1), b.slice(i, i + 1));
                }
                z = backend.toArray(metric.forward(a, b, false));
            }
            float[] exact = new float[m];
            float[] p = scorer.usesPosterior() ? backend.toArray(head.posteriors(query)) : null;
            for (int i = 0; i < m; i++) {
                float q = 0f;
                if (p != null) {
                    float[] g = backend.toArray(galleryPosteriors.slice(candidates[i], candidates[i] + 1));
                    double sum = 0;
                    for (int c = 0; c < p.length; c++) sum += (double) p[c] * g[c];
                    q = (float) sum;
                }
                exact[i] = rankingLogOdds(z[i], q);
            }
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) order[i] = i;
            Arrays.sort(order, (x, y) -> exact[x] != exact[y] ? Float.compare(exact[y], exact[x]) : Integer.compare(candidates[x], candidates[y]));
            List<Hit> hits = new ArrayList<>();
            for (int i = 0; i < Math.min(k, m); i++) hits.add(new Hit(candidates[order[i]], exact[order[i]]));
            return hits;
        }
    }

    /** The m highest scores offered, with their indices: a min-heap whose root is the worst kept (ties: the later index). */
    private static final class TopScores {
        private final int[] index;
        private final float[] score;
        private int size;

        TopScores(int m) {
            index = new int[m];
            score = new float[m];
        }

        /** Whether (i, s) ranks below (j, t): a lower score, or the same score and a later index. */
        private static boolean worse(float s, int i, float t, int j) {
            return s < t || (s == t && i > j);
        }

        void offer(int i, float s) {
            if (size < index.length) {
                index[size] = i;
                score[size] = s;
                siftUp(size++);
            } else if (worse(score[0], index[0], s, i)) {
                index[0] = i;
                score[0] = s;
                siftDown(0);
            }
        }

        int[] indices() {
            return Arrays.copyOf(index, size);
        }

        private void siftUp(int at) {
            while (at > 0) {
                int parent = (at - 1) / 2;
                if (!worse(score[at], index[at], score[parent], index[parent])) return;
                swap(at, parent);
                at = parent;
            }
        }

        private void siftDown(int at) {
            while (true) {
                int l = 2 * at + 1, r = l + 1, low = at;
                if (l < size && worse(score[l], index[l], score[low], index[low])) low = l;
                if (r < size && worse(score[r], index[r], score[low], index[low])) low = r;
                if (low == at) return;
                swap(at, low);
                at = low;
            }
        }

        private void swap(int a, int b) {
            int i = index[a];
            index[a] = index[b];
            index[b] = i;
            float s = score[a];
            score[a] = score[b];
            score[b] = s;
        }
    }
}
