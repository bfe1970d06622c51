package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import simil.models.ClassifierHead;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Capability;
import simil.tensor.PosteriorScore;
import simil.tensor.Tensor;

/** Top-k search over a gallery against scoring every (query, gallery image) pair on the concatenated pair. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class GallerySearchTest {
    private final Backend be;

    GallerySearchTest(Backend be) {
        this.be = be;
    }

    private Tensor random(Random rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return be.fromArray(v, rows, cols);
    }

    /** Every gallery image's logit against {@code query} [1, F], through MetricNetwork.forward as simil compare scores a pair. */
    private float[] exhaustive(MetricNetwork metric, Tensor query, Tensor gallery) {
        int n = gallery.dim(0), f = gallery.dim(1);
        Tensor repeated = be.zeros(n, f);
        for (int i = 0; i < n; i++) be.tensors().copy(query, repeated.slice(i, i + 1));
        return be.toArray(metric.forward(repeated, gallery, false)).clone();
    }

    @ParameterizedTest(name = "symmetric {0}, {1}")
    @CsvSource({"false, FP32", "false, INT8", "true, FP32", "true, INT8"})
    void hitsAreTheBestOfEveryPairScoredExactly(boolean symmetric, AllPairsScorer.Precision precision) {
        int f = 16, h = 64, n = 1500, queries = 70, k = 7; // 70 queries: two blocks of at most 64; 1,500 images: several tiles
        Random rnd = new Random(symmetric ? 3 : 4);
        MetricNetwork metric = new MetricNetwork(be, "m", f, h, 0f, symmetric, 11);
        Tensor gallery = random(rnd, n, f), query = random(rnd, queries, f);
        GallerySearch search = new GallerySearch(metric, be, gallery, precision);
        boolean int8 = precision == AllPairsScorer.Precision.INT8 && be.supports(Capability.INT8_PAIRS);
        assertEquals(int8 ? AllPairsScorer.Precision.INT8 : AllPairsScorer.Precision.FP32, search.precision());
        List<List<GallerySearch.Hit>> hits = search.search(query, k);
        assertEquals(queries, hits.size());
        for (int q = 0; q < queries; q++) {
            float[] all = exhaustive(metric, query.slice(q, q + 1), gallery);
            int[] best = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -all[i]).thenComparingInt(i -> i))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            int[] got = hits.get(q).stream().mapToInt(GallerySearch.Hit::index).toArray();
            assertEquals(Arrays.toString(best), Arrays.toString(got), "query " + q);
            for (GallerySearch.Hit hit : hits.get(q)) assertEquals(all[hit.index()], hit.logit(), 1e-5f, "query " + q + ", image " + hit.index());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"POSTERIOR", "BOTH"})
    void posteriorAndMixedSearchesRankByTheirLogOddsAsTheHostDoes(Scorer scorer) {
        int f = 16, h = 64, n = 1300, queries = 3, k = 5, classes = 12;
        Random rnd = new Random(8);
        MetricNetwork metric = new MetricNetwork(be, "m", f, h, 0f, true, 11);
        ClassifierHead head = new ClassifierHead(be, f, classes, 13);
        Tensor gallery = random(rnd, n, f), query = random(rnd, queries, f);
        List<List<GallerySearch.Hit>> hits = new GallerySearch(metric, head, scorer, be, gallery, AllPairsScorer.Precision.INT8).search(query, k);
        float[] pg = be.toArray(head.posteriors(gallery)), pq = be.toArray(head.posteriors(query));
        float shift = PosteriorScore.priorShift(classes);
        for (int q = 0; q < queries; q++) {
            float[] z = exhaustive(metric, query.slice(q, q + 1), gallery), all = new float[n];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int c = 0; c < classes; c++) sum += (double) pq[q * classes + c] * pg[i * classes + c];
                all[i] = (float) (scorer == Scorer.POSTERIOR ? PosteriorScore.logOdds((float) sum) : PosteriorScore.mixedLogOdds(z[i], (float) sum, shift));
            }
            int[] best = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -all[i]).thenComparingInt(i -> i))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            assertEquals(Arrays.toString(best), Arrays.toString(hits.get(q).stream().mapToInt(GallerySearch.Hit::index).toArray()), "query " + q);
            for (GallerySearch.Hit hit : hits.get(q)) assertEquals(all[hit.index()], hit.logit(), 1e-4f, "query " + q + ", image " + hit.index());
        }
        assertThrows(IllegalArgumentException.class, () -> new GallerySearch(metric, null, scorer, be, gallery, AllPairsScorer.Precision.FP32));
    }

    @Test
    void aGallerySmallerThanKGivesEveryImageBestFirst() {
        MetricNetwork metric = new MetricNetwork(be, "m", 8, 64, 0f, true, 2);
        Random rnd = new Random(5);
        Tensor gallery = random(rnd, 3, 8), query = random(rnd, 1, 8);
        List<GallerySearch.Hit> hits = new GallerySearch(metric, be, gallery, AllPairsScorer.Precision.INT8).search(query, 10).get(0);
        assertEquals(3, hits.size());
        float[] all = exhaustive(metric, query, gallery);
        for (int r = 0; r < 3; r++) {
            assertEquals(all[hits.get(r).index()], hits.get(r).logit(), 1e-5f);
            if (r > 0) assertEquals(true, hits.get(r - 1).logit() >= hits.get(r).logit(), "best first: " + hits);
        }
        assertEquals(List.of(0, 1, 2), hits.stream().map(GallerySearch.Hit::index).sorted().toList());
    }

    @Test
    void embeddingsOfAnotherWidthAreRefused() {
        MetricNetwork metric = new MetricNetwork(be, "m", 8, 64, 0f, false, 2);
        Random rnd = new Random(7);
        assertThrows(IllegalArgumentException.class, () -> new GallerySearch(metric, be, random(rnd, 4, 9), AllPairsScorer.Precision.FP32));
        GallerySearch search = new GallerySearch(metric, be, random(rnd, 4, 8), AllPairsScorer.Precision.FP32);
        assertThrows(IllegalArgumentException.class, () -> search.search(random(rnd, 1, 7), 2));
        assertThrows(IllegalArgumentException.class, () -> search.search(random(rnd, 1, 8), 0));
    }
}
