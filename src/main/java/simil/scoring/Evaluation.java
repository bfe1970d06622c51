package simil.scoring;

import java.io.PrintStream;
import java.util.Locale;
import simil.data.AllOrderedPairs;
import simil.data.BalancedEvalPairs;
import simil.data.ImageBatcher;
import simil.data.PairList;
import simil.data.Split;
import simil.evaluation.EvalReport;
import simil.evaluation.ScoreAccumulator;
import simil.evaluation.ThresholdChoice;
import simil.io.Terminal;
import simil.models.PairModel;

/**
 * Evaluates a model on a split: the decision threshold is chosen on every ordered pair of the validation
 * split (balanced accuracy, which does not depend on the share of same-class pairs), then the split's pairs —
 * the fixed balanced set or every ordered pair — are scored into one accumulator.
 */
public final class Evaluation {
    private static final int EMBED_BATCH = 256;
    private static final long PLAIN_LINE_NANOS = 10_000_000_000L;

    private Evaluation() {}

    /** The report and the accumulated scores (for curves). */
    public record Result(EvalReport report, ScoreAccumulator scores) {}

    /**
     * The threshold maximizing balanced accuracy over every ordered pair of {@code validation}, scored at
     * {@code precision}: every "different" pair of the split counts (about 4 million for the default 2,000
     * validation images, where a 20,000-pair sample had 10,000), for about 12 s of scoring. The same-class
     * pairs stay few (9,000 for 10 images of each of 200 classes): on the default model this threshold fell
     * 0.03 below the best one for the holdout, as the sample's had fallen 0.04 above it.
     */
    public static float chooseThreshold(PairModel model, ImageBatcher images, Split validation,
                                        AllPairsScorer.Precision precision) {
        var embeddings = Embeddings.compute(model, images, validation.indices(), EMBED_BATCH);
        ScoreAccumulator scores = new ScoreAccumulator(EvalReport.HALF);
        new AllPairsScorer(model.metric(), model.backend(), precision).score(embeddings, validation.labels(), scores, null);
        return ThresholdChoice.maximizingBalancedAccuracy(scores);
    }

    /**
     * @param splitSource where {@code split}'s images come from, for the report ({@link simil.data.Splits#sourceOf})
     * @param pairsMode   "balanced" (50,000 pairs, half same) or "all" (every ordered pair i ≠ j)
     * @param precision   the arithmetic of the metric network over all pairs ({@code pairsMode} "all")
     */
    public static Result evaluate(String modelName, PairModel model, ImageBatcher images, Split split, String splitSource,
                                  String pairsMode, float threshold, long seed, AllPairsScorer.Precision precision, PrintStream log) {
        ScoreAccumulator scores = new ScoreAccumulator(EvalReport.HALF, threshold);
        String scoring = "fp32";
        long start = System.nanoTime();
        var embeddings = Embeddings.compute(model, images, split.indices(), EMBED_BATCH);
        double embedSeconds = (System.nanoTime() - start) / 1e9;
        log.printf(Locale.ROOT, "embedded %d images in %.1f s (%.0f images/s)%n", split.size(), embedSeconds, split.size() / embedSeconds);
        switch (pairsMode) {
            case "balanced" -> {
                PairList pairs = BalancedEvalPairs.generate(split, BalancedEvalPairs.countAtMost(split, BalancedEvalPairs.REFERENCE_COUNT), seed);
                PairListScorer.score(model.metric(), embeddings, PairListScorer.rowsOf(split.indices(), images.store().size()), pairs, scores);
            }
            case "all" -> {
                AllOrderedPairs all = new AllOrderedPairs(split);
                long total = all.total();
                AllPairsScorer scorer = new AllPairsScorer(model.metric(), model.backend(), precision);
                scoring = scorer.effectivePrecision().name().toLowerCase(Locale.ROOT);
                log.println("scoring all pairs in " + scoring);
                boolean redraw = Terminal.redraws(log);
                long scoringStart = System.nanoTime();
                long[] lastLine = {scoringStart - PLAIN_LINE_NANOS};
                scorer.score(embeddings, split.labels(), scores, (rows, scored) -> {
                    long now = System.nanoTime();
                    // On a terminal every tile redraws the line; in a log, a line every ten seconds and the last one.
                    if (!redraw && now - lastLine[0] < PLAIN_LINE_NANOS && rows < split.size()) return;
                    lastLine[0] = now;
                    double seconds = (now - scoringStart) / 1e9;
                    log.printf(Locale.ROOT, "%sscoring all pairs: %d/%d rows, %d/%d pairs, %.0f pairs/s, %.0f s elapsed, ETA %.0f s%s",
                            redraw ? "\r" : "", rows, split.size(), scored, total, scored / seconds, seconds,
                            scored == 0 ? 0 : seconds * (total - scored) / scored, redraw ? "" : "\n");
                });
                if (redraw) log.println();
            }
            default -> throw new IllegalArgumentException("--pairs must be balanced or all, not " + pairsMode);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        EvalReport report = EvalReport.of(modelName, split.name(), splitSource, pairsMode, split.size(), scores, threshold,
                EvalReport.ThresholdSource.VALIDATION, seconds, scoring);
        return new Result(report, scores);
    }
}
