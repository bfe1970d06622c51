package simil.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import simil.io.AtomicFiles;
import simil.tensor.ScoreBins;

/**
 * The evaluation's figures as 800x600 PNG files in the style of a paper's: white background, title,
 * labelled axes, legend, fonts readable when the figure is shrunk to a column. Each file is written
 * atomically. Runs headless (no display needed).
 */
public final class Plots {
    private Plots() {}

    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font CELL_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 22);
    /** Matplotlib's "tab10" colours, familiar from papers and distinct for colour-blind readers. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final Color GRID = new Color(0xdddddd);
    private static final BasicStroke SOLID = new BasicStroke(2.2f);
    private static final BasicStroke DASHED =
            new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f);
    private static final BasicStroke DOTTED =
            new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {3f, 4f}, 0f);

    /**
     * Loss (top) and accuracy (bottom) per epoch, one colour per run (the runs of a sweep, each from its epoch 1),
     * training solid and validation dashed.
     */
    public static void trainingCurves(Path png, String title, List<LabelledEpochs> runs) throws IOException {
        save(png, chart(title, epochPanels(runs, false, "Epoch")));
    }

    /**
     * Every phase of one run (classifier, then metric network, ...) one after the other along the run's epochs, one
     * colour per phase: loss, accuracy and the scheduled learning rate at each epoch's end (log scale), training solid
     * and validation dashed; the phases' rows in the order they ran.
     */
    public static void trainingPhases(Path png, String title, List<LabelledEpochs> phases) throws IOException {
        CombinedDomainXYPlot plot = epochPanels(phases, true, "Epoch of the run (phases in order)");
        XYSeriesCollection rates = new XYSeriesCollection();
        int offset = 0;
        for (LabelledEpochs phase : phases) {
            XYSeries lr = new XYSeries(phase.label() + " lr");
            for (EpochMetrics row : phase.rows()) {
                if (row.lr() > 0) lr.add(offset + row.epoch(), row.lr());
            }
            rates.addSeries(lr);
            offset += phase.rows().size();
        }
        LogAxis lrAxis = new LogAxis("Learning rate");
        lrAxis.setNumberFormatOverride(new DecimalFormat("0.0E0"));
        styleAxis(lrAxis);
        decades(lrAxis, rates);
        XYPlot lrPlot = linePlot(rates, null, lrAxis);
        for (int series = 0; series < rates.getSeriesCount(); series++) {
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) lrPlot.getRenderer();
            renderer.setSeriesPaint(series, PALETTE[series % PALETTE.length]);
            renderer.setSeriesShapesVisible(series, true);
        }
        lrPlot.setFixedLegendItems(new LegendItemCollection());
        plot.add(lrPlot, 1);
        save(png, chart(title, plot));
    }

    /**
     * The loss and accuracy panels of {@code runs} over a shared epoch axis; {@code consecutive}: each run's epochs
     * follow the previous run's (the phases of one run), else every run starts at its epoch 1 (a sweep).
     */
    private static CombinedDomainXYPlot epochPanels(List<LabelledEpochs> runs, boolean consecutive, String epochLabel) {
        XYSeriesCollection losses = new XYSeriesCollection();
        XYSeriesCollection accuracies = new XYSeriesCollection();
        int offset = 0;
        for (LabelledEpochs run : runs) {
            XYSeries trainLoss = new XYSeries(run.label() + " train");
            XYSeries valLoss = new XYSeries(run.label() + " val");
            XYSeries trainAcc = new XYSeries(run.label() + " train");
            XYSeries valAcc = new XYSeries(run.label() + " val");
            for (EpochMetrics row : run.rows()) {
                int x = offset + row.epoch();
                trainLoss.add(x, row.trainLoss());
                valLoss.add(x, row.valLoss());
                trainAcc.add(x, row.trainAcc());
                valAcc.add(x, row.valAcc());
            }
            losses.addSeries(trainLoss);
            losses.addSeries(valLoss);
            accuracies.addSeries(trainAcc);
            accuracies.addSeries(valAcc);
            if (consecutive) offset += run.rows().size();
        }
        NumberAxis epochAxis = axis(epochLabel);
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        XYPlot lossPlot = linePlot(losses, null, rangeAxisNotFromZero("Loss"));
        XYPlot accuracyPlot = linePlot(accuracies, null, rangeAxisNotFromZero("Accuracy"));
        for (XYPlot panel : List.of(lossPlot, accuracyPlot)) {
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) panel.getRenderer();
            for (int series = 0; series < panel.getDataset().getSeriesCount(); series++) {
                renderer.setSeriesPaint(series, PALETTE[(series / 2) % PALETTE.length]);
                renderer.setSeriesStroke(series, series % 2 == 0 ? SOLID : DASHED);
                renderer.setSeriesShapesVisible(series, true);
            }
            plot.add(panel, 2);
        }
        // The accuracy panel repeats the loss panel's series names; one legend is enough.
        accuracyPlot.setFixedLegendItems(new LegendItemCollection());
        return plot;
    }

    /**
     * ROC curves, one per model or learning rate, each AUC in the legend, over a logarithmic false positive rate: with
     * 0.49% of all pairs same-class, what matters is the left edge a linear axis squeezes into a few pixels. It spans
     * from the smallest rate the pairs can show (one "different" pair in {@code negatives}; at most 1e-2) to 1; the chance line is
     * TPR = FPR, and each curve's operating point is marked with its threshold.
     */
    public static void roc(Path png, String title, List<LabelledCurve> curves, long negatives) throws IOException {
        // At least two decades, for the few pairs of a tiny split.
        double floor = Math.min(1e-2, Math.pow(10, Math.floor(Math.log10(1.0 / Math.max(1, negatives)))));
        XYSeriesCollection data = curveSeries(curves, "AUC", floor);
        XYSeries chance = new XYSeries("chance (TPR = FPR)");
        for (double x = floor; x <= 1.0001; x *= Math.pow(10, 0.05)) chance.add(x, Math.min(1, x));
        data.addSeries(chance);
        LogAxis fprAxis = new LogAxis("False positive rate (log scale)");
        fprAxis.setRange(floor, 1);
        fprAxis.setNumberFormatOverride(new DecimalFormat("0E0"));
        styleAxis(fprAxis);
        NumberAxis tprAxis = axis("True positive rate");
        tprAxis.setTickUnit(new NumberTickUnit(0.1));
        tprAxis.setRange(0, 1.02);
        XYPlot plot = linePlot(data, fprAxis, tprAxis);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setSeriesPaint(curves.size(), Color.GRAY);
        renderer.setSeriesStroke(curves.size(), DOTTED);
        markOperatingPoints(plot, curves, floor);
        JFreeChart chart = chart(title, plot);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        save(png, chart);
    }

    /**
     * Precision-recall curves for "same", one per model or learning rate, each AP in the legend, with the precision
     * of a random verdict ({@code prevalence}, the share of same-class pairs: an AP's baseline) as a dotted line, and
     * each curve's operating point marked.
     */
    public static void precisionRecall(Path png, String title, List<LabelledCurve> curves, double prevalence) throws IOException {
        XYSeriesCollection data = curveSeries(curves, "AP", Double.NEGATIVE_INFINITY);
        XYSeries baseline = new XYSeries(String.format(Locale.ROOT, "chance (precision = prevalence %.4f)", prevalence));
        baseline.add(0, prevalence);
        baseline.add(1, prevalence);
        data.addSeries(baseline);
        XYPlot plot = linePlot(data, axis("Recall"), axis("Precision"));
        unitSquare(plot);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setSeriesPaint(curves.size(), Color.GRAY);
        renderer.setSeriesStroke(curves.size(), DOTTED);
        markOperatingPoints(plot, curves, Double.NEGATIVE_INFINITY);
        JFreeChart chart = chart(title, plot);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        save(png, chart);
    }

    /**
     * The scores of same-class and of different-class pairs, each as the share of its own class per bin of width
     * 1/{@value #HISTOGRAM_BINS} (so the rare same-class pairs are as visible as the others), on a logarithmic share
     * axis that shows the tails, with the decision threshold as a vertical line.
     */
    public static void scoreHistogram(Path png, String title, ScoreAccumulator scores, float threshold) throws IOException {
        long[] same = new long[HISTOGRAM_BINS], different = new long[HISTOGRAM_BINS];
        for (int bin = 0; bin < ScoreBins.COUNT; bin++) {
            int coarse = Math.min(HISTOGRAM_BINS - 1, (int) (ScoreBins.lowerEdge(bin) * HISTOGRAM_BINS));
            same[coarse] += scores.sameInBin(bin);
            different[coarse] += scores.differentInBin(bin);
        }
        long positives = scores.positives(), negatives = scores.negatives();
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(shares(String.format(Locale.ROOT, "same class (%,d pairs)", positives), same, positives));
        data.addSeries(shares(String.format(Locale.ROOT, "different class (%,d pairs)", negatives), different, negatives));
        NumberAxis scoreAxis = axis("Similarity score");
        scoreAxis.setTickUnit(new NumberTickUnit(0.1));
        scoreAxis.setRange(0, 1);
        LogAxis shareAxis = new LogAxis("Share of the class's pairs (log scale)");
        shareAxis.setNumberFormatOverride(new DecimalFormat("0E0"));
        styleAxis(shareAxis);
        decades(shareAxis, data);
        XYStepRenderer renderer = new XYStepRenderer();
        renderer.setSeriesPaint(0, PALETTE[1]);
        renderer.setSeriesPaint(1, PALETTE[0]);
        renderer.setSeriesStroke(0, SOLID);
        renderer.setSeriesStroke(1, SOLID);
        XYPlot plot = new XYPlot(data, scoreAxis, shareAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(Color.DARK_GRAY);
        ValueMarker marker = new ValueMarker(threshold, Color.DARK_GRAY, DASHED);
        marker.setLabel(String.format(Locale.ROOT, "threshold %.3f", threshold));
        marker.setLabelFont(LEGEND_FONT);
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(marker);
        JFreeChart chart = chart(title, plot);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        save(png, chart);
    }

    /**
     * A log axis from the decade below the smallest positive y of {@code data} to the decade above its largest, so that
     * one value, or none, still makes a range (JFreeChart's own would be empty).
     */
    private static void decades(LogAxis axis, XYSeriesCollection data) {
        double min = Double.POSITIVE_INFINITY, max = 0;
        for (int series = 0; series < data.getSeriesCount(); series++) {
            for (int i = 0; i < data.getItemCount(series); i++) {
                double y = data.getYValue(series, i);
                if (y > 0) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        if (max == 0) {
            min = 0.1;
            max = 1;
        }
        double low = Math.pow(10, Math.floor(Math.log10(min))), high = Math.pow(10, Math.ceil(Math.log10(max)));
        axis.setRange(low, high > low ? high : low * 10);
    }

    /** Bins of the score histogram figure. */
    public static final int HISTOGRAM_BINS = 50;

    /** Each bin's share of {@code total}, drawn from its left edge; empty bins left out (a log axis has no 0). */
    private static XYSeries shares(String label, long[] counts, long total) {
        XYSeries series = new XYSeries(label);
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) series.add((double) b / counts.length, (double) counts[b] / total);
        }
        return series;
    }

    /**
     * Each curve's operating point as a series of one point, drawn as a dot in the curve's colour and named in the
     * legend with its threshold; {@code floor}: the smallest x the axis shows (a point below it is drawn there).
     */
    private static void markOperatingPoints(XYPlot plot, List<LabelledCurve> curves, double floor) {
        XYSeriesCollection data = (XYSeriesCollection) plot.getDataset();
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int c = 0; c < curves.size(); c++) {
            LabelledCurve.OperatingPoint point = curves.get(c).operatingPoint();
            if (point == null) continue;
            XYSeries dot = new XYSeries(curves.get(c).label() + " at its " + point.label());
            dot.add(Math.max(point.x(), floor), point.y());
            data.addSeries(dot);
            int series = data.getSeriesCount() - 1;
            renderer.setSeriesLinesVisible(series, false);
            renderer.setSeriesShapesVisible(series, true);
            renderer.setSeriesShape(series, new Ellipse2D.Double(-6, -6, 12, 12));
            renderer.setSeriesPaint(series, PALETTE[c % PALETTE.length]);
        }
    }

    /**
     * The 2x2 confusion matrix as a heatmap: rows the truth, columns the verdict, each cell annotated
     * with its count and its share of the true class. Colour follows that share, so that the ~1% of
     * "same" pairs in an all-pairs evaluation is as visible as the 99% of "different" ones.
     */
    public static void confusionMatrix(Path png, String title, Confusion confusion) throws IOException {
        // Cell (x = predicted, y = actual), 0 = "different", 1 = "same".
        long[][] counts = {{confusion.tn(), confusion.fp()}, {confusion.fn(), confusion.tp()}};
        double[] xs = new double[4];
        double[] ys = new double[4];
        double[] shares = new double[4];
        XYPlot plot = new XYPlot();
        for (int actual = 0; actual < 2; actual++) {
            long rowTotal = counts[actual][0] + counts[actual][1];
            for (int predicted = 0; predicted < 2; predicted++) {
                int cell = 2 * actual + predicted;
                long count = counts[actual][predicted];
                double share = rowTotal == 0 ? 0 : (double) count / rowTotal;
                xs[cell] = predicted;
                ys[cell] = actual;
                shares[cell] = share;
                Color ink = share > 0.55 ? Color.WHITE : Color.BLACK;
                plot.addAnnotation(cellText(String.format(Locale.ROOT, "%,d", count), predicted, actual - 0.08,
                        CELL_FONT, ink));
                plot.addAnnotation(cellText(String.format(Locale.ROOT, "%.1f%% of actual", 100 * share), predicted,
                        actual + 0.12, LABEL_FONT, ink));
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of actual class", new double[][] {xs, ys, shares});
        plot.setDataset(data);
        XYBlockRenderer renderer = new XYBlockRenderer();
        BlueScale scale = new BlueScale();
        renderer.setPaintScale(scale);
        plot.setRenderer(renderer);
        SymbolAxis predictedAxis = new SymbolAxis("Predicted", new String[] {"different", "same"});
        SymbolAxis actualAxis = new SymbolAxis("Actual", new String[] {"different", "same"});
        // Row "different" on top, as confusion matrices are usually printed.
        actualAxis.setInverted(true);
        for (SymbolAxis axis : List.of(predictedAxis, actualAxis)) {
            axis.setRange(-0.5, 1.5);
            axis.setGridBandsVisible(false);
            styleAxis(axis);
        }
        plot.setDomainAxis(predictedAxis);
        plot.setRangeAxis(actualAxis);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlinePaint(Color.DARK_GRAY);
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis scaleAxis = new NumberAxis("share of actual class");
        scaleAxis.setRange(0, 1);
        styleAxis(scaleAxis);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(18);
        legend.setMargin(new RectangleInsets(40, 10, 40, 10));
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        save(png, chart);
    }

    private static XYTextAnnotation cellText(String text, double x, double y, Font font, Color ink) {
        XYTextAnnotation annotation = new XYTextAnnotation(text, x, y);
        annotation.setFont(font);
        annotation.setPaint(ink);
        annotation.setTextAnchor(TextAnchor.CENTER);
        return annotation;
    }

    /** The curves as series; points with x below {@code floor} are left out (a log axis cannot show x = 0). */
    private static XYSeriesCollection curveSeries(List<LabelledCurve> curves, String summaryName, double floor) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (LabelledCurve labelled : curves) {
            // Not sorted by x and duplicates allowed: a PR curve goes back in x-order only by accident.
            XYSeries series = new XYSeries(String.format(Locale.ROOT, "%s (%s %.3f)", labelled.label(), summaryName,
                    labelled.summary()), false, true);
            Curve curve = labelled.curve();
            for (int i = 0; i < curve.size(); i++) {
                if (curve.x()[i] >= floor) series.add(curve.x()[i], curve.y()[i]);
            }
            data.addSeries(series);
        }
        return data;
    }

    private static XYPlot linePlot(XYSeriesCollection data, ValueAxis xAxis, ValueAxis yAxis) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int series = 0; series < data.getSeriesCount(); series++) {
            renderer.setSeriesPaint(series, PALETTE[series % PALETTE.length]);
            renderer.setSeriesStroke(series, SOLID);
        }
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(Color.DARK_GRAY);
        return plot;
    }

    private static void unitSquare(XYPlot plot) {
        for (ValueAxis axis : List.of(plot.getDomainAxis(), plot.getRangeAxis())) {
            ((NumberAxis) axis).setTickUnit(new NumberTickUnit(0.1));
        }
        plot.getDomainAxis().setRange(0, 1);
        plot.getRangeAxis().setRange(0, 1.02);
    }

    private static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        styleAxis(axis);
        return axis;
    }

    private static NumberAxis rangeAxisNotFromZero(String label) {
        NumberAxis axis = axis(label);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    private static void styleAxis(ValueAxis axis) {
        axis.setLabelFont(LABEL_FONT);
        axis.setTickLabelFont(TICK_FONT);
        axis.setLabelPaint(Color.BLACK);
        axis.setTickLabelPaint(Color.BLACK);
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(LEGEND_FONT);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        TextTitle heading = chart.getTitle();
        heading.setPaint(Color.BLACK);
        return chart;
    }

    private static void save(Path png, JFreeChart chart) throws IOException {
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }

    /** White (share 0) to dark blue (share 1), as matplotlib's "Blues". */
    private static final class BlueScale implements PaintScale {
        private static final Color LIGHT = new Color(0xf7fbff);
        private static final Color DARK = new Color(0x08306b);

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Math.max(0, Math.min(1, value));
            return new Color(mix(LIGHT.getRed(), DARK.getRed(), t), mix(LIGHT.getGreen(), DARK.getGreen(), t),
                    mix(LIGHT.getBlue(), DARK.getBlue(), t));
        }

        private static int mix(int from, int to, double t) {
            return (int) Math.round(from + (to - from) * t);
        }
    }
}
