package simil.scoring;

import java.io.PrintStream;
import java.util.Locale;
import simil.data.AllOrderedPairs;
import simil.data.BalancedEvalPairs;
import simil.data.ImageBatcher;
import simil.data.PairList;
import simil.data.Split;
import simil.data.Splits;
import simil.evaluation.EvalReport;
import simil.evaluation.ScoreAccumulator;
import simil.evaluation.ThresholdChoice;
import simil.io.Terminal;
import simil.models.PairModel;
import simil.tensor.Tensor;

/**
 * Evaluates a model on a split: the decision threshold is chosen on every ordered pair of the validation
 * split (balanced accuracy, which does not depend on the share of same-class pairs), then the split's pairs —
 * the fixed balanced set or every ordered pair — are scored into one accumulator, by the metric network, the class
 * posteriors or both ({@link Scorer}).
 */
public final class Evaluation {
    /** Images per tower pass when a split is embedded (an embedding's last bits can depend on its batch). */
    public static final int EMBED_BATCH = 256;
    private static final long PLAIN_LINE_NANOS = 10_000_000_000L;

    private Evaluation() {}

    /** The report and the accumulated scores (for curves). */
    public record Result(EvalReport report, ScoreAccumulator scores) {}

    /** What an unseen-class report says of posterior scoring, which cannot score it. */
    public static final String POSTERIOR_NOT_APPLICABLE = "posterior scoring does not apply to the unseen classes: "
            + "the classifier has no output for them (they were held out of training)";

    /**
     * Refuses a scorer that uses class posteriors on the unseen classes' split ({@value Splits#UNSEEN}): the classifier
     * never saw those classes, so its posteriors say nothing about whether two of their images match.
     */
    public static void checkApplies(Scorer scorer, String splitName) {
        if (scorer.usesPosterior() && splitName.equals(Splits.UNSEEN)) {
            throw new IllegalArgumentException("--scorer " + scorer.cliName() + " does not apply to --split " + Splits.UNSEEN
                    + ": the classifier has no output for classes held out of training; use --scorer metric");
        }
    }

    /**
     * The threshold maximizing balanced accuracy over every ordered pair of {@code validation}, scored as {@code scoring}
     * says: every "different" pair of the split counts (about 4 million for the default 2,000
     * validation images, where a 20,000-pair sample had 10,000), for about 12 s of scoring. The same-class
     * pairs stay few (9,000 for 10 images of each of 200 classes): on the default model this threshold fell
     * 0.03 below the best one for the holdout, as the sample's had fallen 0.04 above it.
     */
    public static float chooseThreshold(PairScoring scoring, ImageBatcher images, Split validation) {
        var embeddings = Embeddings.compute(scoring.model(), images, validation.indices(), EMBED_BATCH);
        ScoreAccumulator scores = new ScoreAccumulator(EvalReport.HALF);
        scoring.allPairs().score(scoring.scorer().usesMetric() ? embeddings : null, scoring.posteriors(embeddings),
                validation.labels(), scores, null);
        return ThresholdChoice.maximizingBalancedAccuracy(scores);
    }

    /**
     * Scores {@code split}'s pairs as {@code scoring} says, at {@code threshold}; a scorer that does not apply to the
     * split is refused ({@link #checkApplies}), and the unseen classes' report says that posterior scoring does not.
     *
     * @param splitSource where {@code split}'s images come from, for the report ({@link simil.data.Splits#sourceOf})
     * @param pairsMode   "balanced" (50,000 pairs, half same) or "all" (every ordered pair i ≠ j)
     */
    public static Result evaluate(String modelName, PairScoring scoring, ImageBatcher images, Split split, String splitSource,
                                  String pairsMode, float threshold, long seed, PrintStream log) {
        checkApplies(scoring.scorer(), split.name());
        PairModel model = scoring.model();
        Scorer scorer = scoring.scorer();
        ScoreAccumulator scores = new ScoreAccumulator(EvalReport.HALF, threshold);
        String precision = "fp32";
        long start = System.nanoTime();
        var embeddings = Embeddings.compute(model, images, split.indices(), EMBED_BATCH);
        Tensor posteriors = scoring.posteriors(embeddings);
        if (!scorer.usesMetric()) embeddings = null;
        double embedSeconds = (System.nanoTime() - start) / 1e9;
        log.printf(Locale.ROOT, "embedded %d images in %.1f s (%.0f images/s)%n", split.size(), embedSeconds, split.size() / embedSeconds);
        switch (pairsMode) {
            case "balanced" -> {
                PairList pairs = BalancedEvalPairs.generate(split, BalancedEvalPairs.countAtMost(split, BalancedEvalPairs.REFERENCE_COUNT), seed);
                PairListScorer.score(model.metric(), scorer, embeddings, posteriors,
                        PairListScorer.rowsOf(split.indices(), images.store().size()), pairs, scores);
            }
            case "all" -> {
                AllOrderedPairs all = new AllOrderedPairs(split);
                long total = all.total();
                AllPairsScorer scorerOfAll = scoring.allPairs();
                precision = scorerOfAll.effectivePrecision().name().toLowerCase(Locale.ROOT);
                log.println("scoring all pairs by " + scorer.cliName() + (scorer.usesMetric() ? " in " + precision : ""));
                boolean redraw = Terminal.redraws(log);
                long scoringStart = System.nanoTime();
                long[] lastLine = {scoringStart - PLAIN_LINE_NANOS};
                scorerOfAll.score(embeddings, posteriors, split.labels(), scores, (rows, scored) -> {
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
        String note = split.name().equals(Splits.UNSEEN) ? POSTERIOR_NOT_APPLICABLE : null;
        EvalReport report = EvalReport.of(modelName, split.name(), splitSource, pairsMode, split.size(), scores, threshold,
                EvalReport.ThresholdSource.VALIDATION, seconds, precision, scorer.cliName(), note);
        return new Result(report, scores);
    }
}
