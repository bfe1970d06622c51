package simil.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import simil.backend.Backends;
import simil.data.JpegDecoder;
import simil.data.Normalization;
import simil.models.PairModel;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.scoring.AllPairsScorer;
import simil.scoring.EmbeddingsFile;
import simil.scoring.GallerySearch;
import simil.scoring.ImageEmbedder;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * One query against a gallery (simil search's work) at the default recipe's shapes: a MatchNet with batch norm, flip
 * averaging and symmetric scores (256-float embeddings, 1024 hidden units), weights as initialized (the time does not
 * depend on them), gallery embeddings drawn at random (ReLU-like: |N(0, 1)|). A query is embedding its image (two tower
 * passes) and searching the whole gallery for the 10 best (query_s, median of the rounds); the search alone at int8
 * (the default) and fp32, and the naive way in the same run: every (query, gallery image) pair concatenated and put
 * through the metric network in both orders, then the 10 best of all scores. Prints one JSON line. Usage: SearchBench [--gallery N] [--rounds R] [--device D]
 * [--write DIR: also write DIR/model, DIR/gallery.safetensors and DIR/query.png for timing the simil search command].
 */
public final class SearchBench {
    private static final int K = 10, NAIVE_BATCH = 8192;

    public static void main(String[] args) throws IOException {
        int n = 100_000, rounds = 5;
        String device = "cpu";
        Path write = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--gallery" -> n = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--device" -> device = args[i + 1];
                case "--write" -> write = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Backend be = Backends.open(device);
        MatchNet model = new MatchNet(be, new MatchNetConfig(256, 1024, 0.3f, true, true, true, 1));
        int f = model.embeddingSize();
        SplittableRandom rnd = new SplittableRandom(7);
        float[] features = new float[n * f];
        for (int i = 0; i < features.length; i++) features[i] = (float) Math.abs(rnd.nextGaussian());
        Tensor gallery = be.fromArray(features, n, f);
        byte[] query = new byte[JpegDecoder.IMAGE_BYTES];
        for (int i = 0; i < query.length; i++) query[i] = (byte) rnd.nextInt(256);
        ImageEmbedder embedder = new ImageEmbedder(model, Normalization.NONE);

        long start = System.nanoTime();
        GallerySearch int8 = new GallerySearch(model.metric(), be, gallery, AllPairsScorer.Precision.INT8);
        double readySeconds = (System.nanoTime() - start) / 1e9;
        GallerySearch fp32 = new GallerySearch(model.metric(), be, gallery, AllPairsScorer.Precision.FP32);

        double[] querySeconds = new double[rounds], int8Seconds = new double[rounds], fp32Seconds = new double[rounds],
                naiveSeconds = new double[rounds], embedSeconds = new double[rounds];
        int[] int8Best = null, naiveBest = null;
        for (int r = -1; r < rounds; r++) { // round -1 warms the JIT up
            long t0 = System.nanoTime();
            Tensor q = embedder.embed(query, 1);
            long t1 = System.nanoTime();
            List<GallerySearch.Hit> hits = int8.search(q, K).get(0);
            long t2 = System.nanoTime();
            fp32.search(embedder.embed(query, 1), K);
            long t3 = System.nanoTime();
            int[] naive = naive(model, be, embedder.embed(query, 1), gallery);
            long t4 = System.nanoTime();
            if (r < 0) continue;
            embedSeconds[r] = (t1 - t0) / 1e9;
            querySeconds[r] = (t2 - t0) / 1e9;
            int8Seconds[r] = (t2 - t1) / 1e9;
            fp32Seconds[r] = (t3 - t2) / 1e9;
            naiveSeconds[r] = (t4 - t3) / 1e9;
            int8Best = hits.stream().mapToInt(GallerySearch.Hit::index).toArray();
            naiveBest = naive;
        }
        if (write != null) write(write, model, features, n, query);
        System.out.printf(Locale.ROOT, "{\"impl\": \"simil\", \"backend\": \"%s\", \"gallery\": %d, \"k\": %d, \"gallery_ready_s\": %.3f, "
                        + "\"query_s\": %.4f, \"embed_query_s\": %.4f, \"search_int8_s\": %.4f, \"search_fp32_s\": %.4f, \"search_naive_s\": %.4f, "
                        + "\"int8_precision\": \"%s\", \"same_hits_as_naive\": %b}%n",
                be.name(), n, K, readySeconds, median(querySeconds), median(embedSeconds), median(int8Seconds), median(fp32Seconds), median(naiveSeconds),
                int8.precision().name().toLowerCase(Locale.ROOT), Arrays.equals(int8Best, naiveBest));
    }

    /** The k best by scoring every concatenated pair through MetricNetwork.forward (both orders when symmetric), then a full sort. */
    private static int[] naive(PairModel model, Backend be, Tensor query, Tensor gallery) {
        int n = gallery.dim(0), f = model.embeddingSize();
        float[] scores = new float[n];
        try (Tensor repeated = be.zeros(NAIVE_BATCH, f)) {
            for (int i = 0; i < NAIVE_BATCH; i++) be.tensors().copy(query, repeated.slice(i, i + 1));
            for (int from = 0; from < n; from += NAIVE_BATCH) {
                int to = Math.min(n, from + NAIVE_BATCH);
                float[] z = be.toArray(model.metric().forward(repeated.slice(0, to - from), gallery.slice(from, to), false));
                System.arraycopy(z, 0, scores, from, to - from);
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
        int[] best = new int[K];
        for (int i = 0; i < K; i++) best[i] = order[i];
        return best;
    }

    /** The model, the gallery as simil embed writes it, and the query as a PNG, for timing the command itself. */
    private static void write(Path dir, MatchNet model, float[] features, int n, byte[] query) throws IOException {
        Path modelDir = dir.resolve("model");
        ModelFiles.save(model, modelDir);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(String.format(Locale.ROOT, "gallery/img-%06d.jpg", i));
        EmbeddingsFile.write(dir.resolve("gallery.safetensors"), new EmbeddingsFile.Contents(ids, model.embeddingSize(), features, null, null,
                model.architecture(), modelDir.toString(), ModelFiles.weightsSha256(modelDir), "SearchBench: random embeddings"));
        int plane = JpegDecoder.SIDE * JpegDecoder.SIDE;
        BufferedImage image = new BufferedImage(JpegDecoder.SIDE, JpegDecoder.SIDE, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < plane; p++) {
            image.setRGB(p % JpegDecoder.SIDE, p / JpegDecoder.SIDE,
                    (query[p] & 0xFF) << 16 | (query[plane + p] & 0xFF) << 8 | (query[2 * plane + p] & 0xFF));
        }
        Files.createDirectories(dir);
        ImageIO.write(image, "png", dir.resolve("query.png").toFile());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
