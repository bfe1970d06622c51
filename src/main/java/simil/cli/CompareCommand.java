package simil.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import simil.data.DataException;
import simil.data.ImageSources;
import simil.data.ImageStore;
import simil.data.JpegDecoder;
import simil.data.Normalization;
import simil.io.AtomicFiles;
import simil.io.ProgressBar;
import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.scoring.ImageEmbedder;
import simil.scoring.Scorer;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * {@code simil compare}: the similarity probability of two image files and the verdict at the model's threshold; or,
 * with {@code --pairs}, of every pair a CSV lists, in one run, each image embedded once.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Print the probability that two images show the same thing, and the verdict (similar or dissimilar).",
                "With --pairs FILE.csv: score every pair of the file (columns a,b) and write CSV a,b,probability,verdict."})
public final class CompareCommand implements Callable<Integer> {
    /** Pairs through the metric network at once. */
    private static final int PAIR_BATCH = 4096;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train).")
    Path modelDir;

    @Parameters(index = "0", arity = "0..1", paramLabel = "A", description = "First image (any size; any format ImageIO reads: JPEG, PNG, BMP, GIF, ...).")
    Path first;

    @Parameters(index = "1", arity = "0..1", paramLabel = "B", description = "Second image.")
    Path second;

    @Option(names = "--pairs", paramLabel = "FILE.csv",
            description = "Instead of A B: a CSV of image pairs, columns a,b (paths relative to the current folder; a header line a,b is optional).")
    Path pairsFile;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "With --pairs: write the CSV to this file (default: standard output).")
    Path out;

    @Mixin
    DeviceOption device;

    @Mixin
    ThresholdOption thresholdOption;

    @Option(names = "--scorer", defaultValue = "metric", converter = EvalCommand.ScorerConverter.class,
            description = "What scores a pair: metric (the metric network), posterior (the class posteriors of the model's classifier "
                    + "head) or both; each decides at its own threshold, from simil eval --scorer (default: ${DEFAULT-VALUE}).")
    Scorer scorer;

    @Override
    public Integer call() throws Exception {
        if (pairsFile == null) {
            if (first == null) throw new ParameterException(spec.commandLine(), "Missing required parameters: 'A', 'B'");
            if (second == null) throw new ParameterException(spec.commandLine(), "Missing required parameter: 'B'");
            if (out != null) throw new ParameterException(spec.commandLine(), "--out goes with --pairs");
            return compareTwo();
        }
        if (first != null) throw new ParameterException(spec.commandLine(), "either two images A B or --pairs FILE.csv, not both");
        return comparePairs();
    }

    private int compareTwo() {
        DecisionThreshold threshold = thresholdOption.resolve(modelDir, scorer);
        Backend backend = device.open();
        float[] pixels = new float[2 * JpegDecoder.IMAGE_BYTES];
        Normalization norm = ModelFiles.readNormalization(modelDir);
        ImageStore.scale(read(first), pixels, 0, norm);
        ImageStore.scale(read(second), pixels, 1, norm);
        PairModel model = ModelFiles.load(backend, modelDir);
        ClassifierHead head = head(model);
        Tensor embeddings = model.embed(model.backend().fromArray(pixels, 2, 3, JpegDecoder.SIDE, JpegDecoder.SIDE), false);
        float probability = score(model, head, embeddings, new int[] {0}, new int[] {1})[0];
        System.out.printf(Locale.ROOT, "similarity %.4f: %s (threshold %.4f, %s)%n", probability,
                probability >= threshold.value() ? "similar" : "dissimilar", threshold.value(), threshold.describe());
        return 0;
    }

    /** The model's classifier head where the scorer uses class posteriors (else null); a model without one is one line. */
    private ClassifierHead head(PairModel model) {
        return scorer.usesPosterior() ? ModelFiles.loadHead(model, modelDir, "--scorer " + scorer.cliName() + " scores pairs by") : null;
    }

    /**
     * The scores of the pairs (first[k], second[k]) of rows of {@code embeddings} [N, F], by the scorer: the metric network's
     * logits in batches, the posterior score q of each pair from the rows of the head's posteriors.
     */
    private float[] score(PairModel model, ClassifierHead head, Tensor embeddings, int[] first, int[] second) {
        Backend backend = model.backend();
        int f = model.embeddingSize(), classes = head == null ? 0 : head.classes();
        float[] e = backend.toArray(embeddings), p = head == null ? null : backend.toArray(head.posteriors(embeddings));
        float[] scores = new float[first.length];
        for (int from = 0; from < first.length; from += PAIR_BATCH) {
            int n = Math.min(PAIR_BATCH, first.length - from);
            float[] logits = new float[n];
            if (scorer.usesMetric()) {
                float[] a = new float[n * f], b = new float[n * f];
                for (int k = 0; k < n; k++) {
                    System.arraycopy(e, first[from + k] * f, a, k * f, f);
                    System.arraycopy(e, second[from + k] * f, b, k * f, f);
                }
                try (Tensor ta = backend.fromArray(a, n, f); Tensor tb = backend.fromArray(b, n, f)) {
                    logits = backend.toArray(model.metric().forward(ta, tb, false));
                }
            }
            for (int k = 0; k < n; k++) {
                double q = 0;
                for (int c = 0; c < classes; c++) q += (double) p[first[from + k] * classes + c] * p[second[from + k] * classes + c];
                scores[from + k] = scorer.score(logits[k], (float) q, classes);
            }
        }
        return scores;
    }

    /** The image as the model sees it: 64×64 RGB, resized bilinearly, channel-major bytes. */
    private static byte[] read(Path file) {
        byte[] bytes = new byte[JpegDecoder.IMAGE_BYTES];
        ImageSources.readFile(file, bytes, 0);
        return bytes;
    }

    /** Every pair of the CSV: each distinct image embedded once, the pairs scored in batches; the CSV written whole, at the end. */
    private int comparePairs() throws Exception {
        DecisionThreshold threshold = thresholdOption.resolve(modelDir, scorer);
        List<PairsCsv.Pair> pairs = PairsCsv.read(pairsFile);
        Backend backend = device.open();
        long start = System.nanoTime();
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        for (PairsCsv.Pair p : pairs) {
            for (String image : List.of(p.a(), p.b())) {
                index.putIfAbsent(image, index.size());
                firstLine.putIfAbsent(image, p.line());
            }
        }
        List<String> images = new ArrayList<>(index.keySet());
        PairModel model = ModelFiles.load(backend, modelDir);
        ClassifierHead head = head(model);
        ImageEmbedder embedder = new ImageEmbedder(model, ModelFiles.readNormalization(modelDir));
        ProgressBar bar = new ProgressBar(System.err, "embedding", images.size(), "images", 1);
        Tensor embeddings = embedder.embed(images.size(), (i, pixels) -> {
            try {
                ImageSources.readFile(Path.of(images.get(i)), pixels, 0);
            } catch (DataException e) {
                throw new DataException(e.getMessage() + " (" + pairsFile + " line " + firstLine.get(images.get(i)) + ")", e);
            }
        }, bar::update);
        bar.finish();
        float[] probabilities = score(model, head, embeddings, pairs.stream().mapToInt(p -> index.get(p.a())).toArray(),
                pairs.stream().mapToInt(p -> index.get(p.b())).toArray());
        String csv = PairsCsv.write(pairs, probabilities, threshold.value());
        if (out != null) AtomicFiles.writeString(out, csv);
        else System.out.print(csv);
        System.err.printf(Locale.ROOT, "scored %d pairs of %d images in %.2f s; verdicts at threshold %.4f (%s)%s%n", pairs.size(),
                images.size(), (System.nanoTime() - start) / 1e9, threshold.value(), threshold.describe(), out == null ? "" : "; wrote " + out);
        return 0;
    }
}
