package simil.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simil.data.ImageSources;
import simil.io.ProgressBar;
import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.scoring.AllPairsScorer;
import simil.scoring.EmbeddingsFile;
import simil.scoring.GallerySearch;
import simil.scoring.ImageEmbedder;
import simil.scoring.Scorer;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** {@code simil search}: the gallery images most similar to each query image, by the model's probability. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Print the k gallery images most likely to show the same thing as each query image.",
                "Output: per query a line 'query ID', then one line per hit: rank, id, probability (tab-separated); --json for tools."})
public final class SearchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train).")
    Path modelDir;

    @Option(names = "--gallery", required = true, paramLabel = "DIR|FILE",
            description = "A folder or zip of images, or an embeddings file (.safetensors) that simil embed wrote with this model.")
    Path gallery;

    @Option(names = "--query", required = true, arity = "1..*", paramLabel = "IMG",
            description = "Query images: files, folders or zips, as for simil embed --images.")
    List<Path> queries;

    @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "Hits per query (default: ${DEFAULT-VALUE}; all when the gallery is smaller).")
    int k;

    @Option(names = "--json", description = "Print one JSON object (model, gallery, threshold, and per query its hits) instead of lines.")
    boolean json;

    @Option(names = "--precision", defaultValue = "int8", converter = EvalCommand.PrecisionConverter.class,
            description = "How the gallery is scored: int8 (fused kernel; fp32 on a device without one) or fp32; the hits are rescored exactly either way. Default: ${DEFAULT-VALUE}.")
    AllPairsScorer.Precision precision;

    @Option(names = "--scorer", defaultValue = "metric", converter = EvalCommand.ScorerConverter.class,
            description = "What ranks the gallery: metric (the metric network), posterior (the class posteriors of the model's classifier "
                    + "head) or both; verdicts at that scorer's threshold from simil eval --scorer (default: ${DEFAULT-VALUE}).")
    Scorer scorer;

    @Mixin
    DeviceOption device;

    @Mixin
    ThresholdOption thresholdOption;

    @Override
    public Integer call() {
        OptionChecks.atLeast("--k", k, 1);
        DecisionThreshold threshold = thresholdOption.resolve(modelDir, scorer);
        Backend backend = device.open();
        PairModel model = ModelFiles.load(backend, modelDir);
        ClassifierHead head = scorer.usesPosterior()
                ? ModelFiles.loadHead(model, modelDir, "--scorer " + scorer.cliName() + " scores pairs by") : null;
        ImageEmbedder embedder = new ImageEmbedder(model, ModelFiles.readNormalization(modelDir));
        long start = System.nanoTime();
        List<String> galleryIds = new ArrayList<>();
        Tensor galleryEmbeddings = loadGallery(embedder, galleryIds);
        GallerySearch search = new GallerySearch(model.metric(), head, scorer, backend, galleryEmbeddings, precision);
        double gallerySeconds = (System.nanoTime() - start) / 1e9;

        long queryStart = System.nanoTime();
        List<String> queryIds = new ArrayList<>();
        List<List<GallerySearch.Hit>> hits;
        try (ImageSources images = ImageSources.open(queries)) {
            for (int i = 0; i < images.size(); i++) queryIds.add(images.id(i));
            hits = search.search(embedder.embed(images), k);
        }
        double querySeconds = (System.nanoTime() - queryStart) / 1e9;
        System.err.printf(Locale.ROOT, "gallery of %d images ready in %.2f s (%s scoring, hits rescored in fp32); %d %s searched in %.3f s%n",
                search.size(), gallerySeconds, search.precision().name().toLowerCase(Locale.ROOT), queryIds.size(),
                queryIds.size() == 1 ? "query" : "queries", querySeconds);
        System.out.print(json ? json(queryIds, hits, galleryIds, search, threshold) : text(queryIds, hits, galleryIds));
        return 0;
    }

    /** The gallery's embeddings [N, F], its ids into {@code ids}: read from an embeddings file, or embedded now. */
    private Tensor loadGallery(ImageEmbedder embedder, List<String> ids) {
        PairModel model = embedder.model();
        if (Files.isRegularFile(gallery) && gallery.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            EmbeddingsFile.Contents c = EmbeddingsFile.read(gallery);
            String sha = ModelFiles.weightsSha256(modelDir);
            if (!sha.equals(c.modelSha256())) {
                throw new IllegalArgumentException(gallery + ": embedded by another model (" + c.model() + ", weights SHA-256 "
                        + abbreviated(c.modelSha256()) + "), not by " + modelDir + " (" + abbreviated(sha) + "); embed the gallery with this model");
            }
            ids.addAll(c.ids());
            return model.backend().fromArray(c.embeddings(), c.count(), c.dimension());
        }
        try (ImageSources images = ImageSources.open(List.of(gallery))) {
            for (int i = 0; i < images.size(); i++) ids.add(images.id(i));
            ProgressBar bar = new ProgressBar(System.err, "embedding the gallery", images.size(), "images", 1);
            Tensor embeddings = embedder.embed(images, bar::update);
            bar.finish();
            return embeddings;
        }
    }

    private static String abbreviated(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }

    private static String text(List<String> queryIds, List<List<GallerySearch.Hit>> hits, List<String> galleryIds) {
        StringBuilder out = new StringBuilder();
        for (int q = 0; q < queryIds.size(); q++) {
            out.append("query ").append(queryIds.get(q)).append('\n');
            int rank = 1;
            for (GallerySearch.Hit h : hits.get(q)) {
                out.append(String.format(Locale.ROOT, "%d\t%s\t%.4f%n", rank++, galleryIds.get(h.index()), h.probability()));
            }
        }
        return out.toString();
    }

    private String json(List<String> queryIds, List<List<GallerySearch.Hit>> hits, List<String> galleryIds, GallerySearch search,
                        DecisionThreshold threshold) {
        JsonObject root = new JsonObject();
        root.addProperty("model", modelDir.toString());
        root.addProperty("gallery", gallery.toString());
        root.addProperty("gallery_images", search.size());
        root.addProperty("k", k);
        root.addProperty("precision", search.precision().name().toLowerCase(Locale.ROOT));
        root.addProperty("scorer", scorer.cliName());
        root.addProperty("threshold", threshold.value());
        root.addProperty("threshold_source", threshold.describe());
        JsonArray results = new JsonArray();
        for (int q = 0; q < queryIds.size(); q++) {
            JsonObject result = new JsonObject();
            result.addProperty("query", queryIds.get(q));
            JsonArray list = new JsonArray();
            int rank = 1;
            for (GallerySearch.Hit h : hits.get(q)) {
                JsonObject hit = new JsonObject();
                hit.addProperty("rank", rank++);
                hit.addProperty("id", galleryIds.get(h.index()));
                hit.addProperty("probability", h.probability());
                hit.addProperty("similar", h.probability() >= threshold.value());
                list.add(hit);
            }
            result.add("hits", list);
            results.add(result);
        }
        root.add("queries", results);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }
}
