package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @Test
    void everyFigureIsAReadable800x600Png(@TempDir Path dir) throws IOException {
        List<LabelledEpochs> runs = new ArrayList<>();
        for (double lr : new double[] {1e-4, 5e-4, 1e-3}) {
            runs.add(new LabelledEpochs("lr " + lr, epochs("pairs", 5, lr)));
        }
        List<LabelledEpochs> phases = List.of(new LabelledEpochs("classifier", epochs("classifier", 9, 2e-3)),
                new LabelledEpochs("metric", epochs("metric", 12, 1e-3)));
        ScoreAccumulator good = RankMetricsTest.randomPairs(20_000, 1).accumulate(0.5f);
        ScoreAccumulator other = RankMetricsTest.randomPairs(20_000, 2).accumulate();
        List<LabelledCurve> roc = List.of(LabelledCurve.roc("lr 1e-4", good, 0.5f), LabelledCurve.roc("lr 5e-4", other));
        List<LabelledCurve> pr = List.of(LabelledCurve.precisionRecall("lr 1e-4", good, 0.5f));

        Plots.trainingCurves(dir.resolve("sweep.png"), "MatchNet training by learning rate", runs);
        Plots.trainingPhases(dir.resolve("training.png"), "MatchNet training, every phase", phases);
        Plots.roc(dir.resolve("roc.png"), "ROC, all ordered pairs", roc, good.negatives());
        Plots.precisionRecall(dir.resolve("pr.png"), "Precision-recall", pr, (double) good.positives() / (good.positives() + good.negatives()));
        Plots.scoreHistogram(dir.resolve("scores.png"), "Scores by class", good, 0.5f);
        Plots.confusionMatrix(dir.resolve("confusion.png"), "Confusion at 0.5", new Confusion(900, 4000, 95000, 100));

        for (String name : List.of("sweep.png", "training.png", "roc.png", "pr.png", "scores.png", "confusion.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
            assertNotNull(image, name);
            assertEquals(800, image.getWidth(), name);
            assertEquals(600, image.getHeight(), name);
            assertTrue(distinctColours(image) > 4, name + " looks blank");
        }
    }

    /** A phase's rows: loss falling, accuracy rising, a cosine-like falling rate. */
    private static List<EpochMetrics> epochs(String phase, int count, double peakLr) {
        List<EpochMetrics> rows = new ArrayList<>();
        for (int epoch = 1; epoch <= count; epoch++) {
            rows.add(new EpochMetrics(epoch, peakLr * (1 + Math.cos(Math.PI * epoch / count)) / 2 + peakLr * 0.01,
                    0.7 - 0.02 * epoch, 0.5 + 0.02 * epoch, 0.69 - 0.01 * epoch, 0.5 + 0.015 * epoch, 60, phase));
        }
        return rows;
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
