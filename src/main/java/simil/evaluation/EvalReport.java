package simil.evaluation;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import simil.io.AtomicFiles;

/**
 * The result of one evaluation, as written to {@code report.json}. Other tools read its keys, so the
 * names below are a contract: add keys, never rename or drop one. The headline metrics (accuracy to
 * f1, {@code confusion}) are at {@code threshold}; {@code confusion_at_0_5} is always at 0.5.
 *
 * @param pairs which pairs were scored: "balanced" (the fixed balanced set) or "all" (every ordered pair)
 * @param splitSource where the split's images come from: "official val/", "50 per class carved from train/", ...
 * @param aucCi95 the AUC's bootstrap 95% interval [low, high] ({@link BootstrapIntervals}); balanced pairs only, else
 *     absent (null), as {@code balancedAccuracyCi95} and {@code ciMethod}
 * @param scorer what scored them: "metric" (the metric network), "posterior" (class posteriors) or "both"
 * @param scorerNote what the report must say about scorers besides (the unseen classes' report: that posterior
 *     scoring does not apply); absent (null) otherwise
 */
public record EvalReport(
        @SerializedName("model") String model,
        @SerializedName("split") String split,
        @SerializedName("pairs") String pairs,
        @SerializedName("n_images") int nImages,
        @SerializedName("n_pairs") long nPairs,
        @SerializedName("positives") long positives,
        @SerializedName("negatives") long negatives,
        @SerializedName("threshold") float threshold,
        @SerializedName("threshold_source") ThresholdSource thresholdSource,
        @SerializedName("confusion") Confusion confusion,
        @SerializedName("confusion_at_0_5") Confusion confusionAtHalf,
        @SerializedName("accuracy") double accuracy,
        @SerializedName("balanced_accuracy") double balancedAccuracy,
        @SerializedName("precision") double precision,
        @SerializedName("recall") double recall,
        @SerializedName("f1") double f1,
        @SerializedName("auc") double auc,
        @SerializedName("ap") double ap,
        @SerializedName("auc_method") String aucMethod,
        @SerializedName("auc_error_bound") double aucErrorBound,
        @SerializedName("ap_error_bound") double apErrorBound,
        @SerializedName("seconds") double seconds,
        @SerializedName("pairs_per_second") double pairsPerSecond,
        @SerializedName("scoring") String scoring,
        @SerializedName("split_source") String splitSource,
        @SerializedName("tpr_at_fpr_1e-3") double tprAtFpr1e3,
        @SerializedName("tpr_at_fpr_1e-2") double tprAtFpr1e2,
        @SerializedName("eer") double eer,
        @SerializedName("eer_threshold") float eerThreshold,
        @SerializedName("auc_ci95") List<Double> aucCi95,
        @SerializedName("balanced_accuracy_ci95") List<Double> balancedAccuracyCi95,
        @SerializedName("ci_method") String ciMethod,
        @SerializedName("scorer") String scorer,
        @SerializedName("scorer_note") String scorerNote) {

    /** Where the decision threshold came from. */
    public enum ThresholdSource {
        @SerializedName("0.5") FIXED_HALF,
        @SerializedName("validation") VALIDATION
    }

    /** The {@code pairs} of the fixed balanced set, which gets confidence intervals. */
    public static final String BALANCED = "balanced";

    /** The threshold every report also gives a confusion matrix at. */
    public static final float HALF = 0.5f;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * Summarizes {@code scores}, which must have counted the confusion matrices at {@link #HALF} and at
     * {@code threshold}; a {@link ThresholdSource#FIXED_HALF} threshold must be 0.5. {@code scoring} names the
     * arithmetic the metric network ran in ("fp32", or "int8" for the quantized all-pairs kernel); {@code splitSource}
     * says where the split's images come from. Balanced pairs get bootstrap intervals (1-2 s for 50,000 on a 2-core machine).
     */
    public static EvalReport of(String model, String split, String splitSource, String pairs, int nImages, ScoreAccumulator scores,
                                float threshold, ThresholdSource source, double seconds, String scoring) {
        return of(model, split, splitSource, pairs, nImages, scores, threshold, source, seconds, scoring, "metric", null);
    }

    /** As above, for pairs scored by {@code scorer} ("metric", "posterior" or "both"), with {@code scorerNote} (or null). */
    public static EvalReport of(String model, String split, String splitSource, String pairs, int nImages, ScoreAccumulator scores,
                                float threshold, ThresholdSource source, double seconds, String scoring, String scorer,
                                String scorerNote) {
        if (source == ThresholdSource.FIXED_HALF && threshold != HALF) {
            throw new IllegalArgumentException("threshold source 0.5 with threshold " + threshold);
        }
        Confusion confusion = scores.confusionAt(threshold);
        RankMetrics rank = RankMetrics.of(scores);
        RocPoints roc = RocPoints.of(scores);
        BootstrapIntervals ci = pairs.equals(BALANCED) ? BootstrapIntervals.of(scores, threshold, BootstrapIntervals.RESAMPLES, 1) : null;
        long nPairs = confusion.total();
        return new EvalReport(model, split, pairs, nImages, nPairs, confusion.positives(), confusion.negatives(),
                threshold, source, confusion, scores.confusionAt(HALF),
                confusion.accuracy(), confusion.balancedAccuracy(), confusion.precision(), confusion.recall(),
                confusion.f1(), rank.auc(), rank.ap(), rank.method(), rank.aucErrorBound(), rank.apErrorBound(),
                seconds, nPairs / seconds, scoring, splitSource, roc.tprAtFpr1e3(), roc.tprAtFpr1e2(), roc.eer(), roc.eerThreshold(),
                ci == null ? null : List.of(ci.aucLow(), ci.aucHigh()),
                ci == null ? null : List.of(ci.balancedAccuracyLow(), ci.balancedAccuracyHigh()), ci == null ? null : ci.method(),
                scorer, scorerNote);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** Writes the report as JSON, atomically (a reader never sees half a report). */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    public static EvalReport read(Path file) throws IOException {
        return GSON.fromJson(Files.readString(file), EvalReport.class);
    }
}
