package simil.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import simil.io.AtomicFiles;

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
     * Loss (top) and accuracy (bottom) per epoch, one colour per learning rate, training solid and
     * validation dashed.
     */
    public static void trainingCurves(Path png, String title, List<EpochMetrics> rows) throws IOException {
        Map<Double, List<EpochMetrics>> byLr = rows.stream()
                .collect(Collectors.groupingBy(EpochMetrics::lr, TreeMap::new, Collectors.toList()));
        XYSeriesCollection losses = new XYSeriesCollection();
        XYSeriesCollection accuracies = new XYSeriesCollection();
        for (Map.Entry<Double, List<EpochMetrics>> run : byLr.entrySet()) {
            String lr = "lr " + formatLr(run.getKey());
            XYSeries trainLoss = new XYSeries(lr + " train");
            XYSeries valLoss = new XYSeries(lr + " val");
            XYSeries trainAcc = new XYSeries(lr + " train");
            XYSeries valAcc = new XYSeries(lr + " val");
            for (EpochMetrics row : run.getValue()) {
                trainLoss.add(row.epoch(), row.trainLoss());
                valLoss.add(row.epoch(), row.valLoss());
                trainAcc.add(row.epoch(), row.trainAcc());
                valAcc.add(row.epoch(), row.valAcc());
            }
            losses.addSeries(trainLoss);
            losses.addSeries(valLoss);
            accuracies.addSeries(trainAcc);
            accuracies.addSeries(valAcc);
        }
        NumberAxis epochAxis = axis("Epoch");
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
            plot.add(panel);
        }
        // The accuracy panel repeats the loss panel's series names; one legend is enough.
        accuracyPlot.setFixedLegendItems(new LegendItemCollection());
        save(png, chart(title, plot));
    }

    /** ROC curves, one per model or learning rate, with the chance diagonal and each AUC in the legend. */
    public static void roc(Path png, String title, List<LabelledCurve> curves) throws IOException {
        XYSeriesCollection data = curveSeries(curves, "AUC");
        XYSeries chance = new XYSeries("chance (AUC 0.500)");
        chance.add(0, 0);
        chance.add(1, 1);
        data.addSeries(chance);
        XYPlot plot = linePlot(data, axis("False positive rate"), axis("True positive rate"));
        unitSquare(plot);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setSeriesPaint(curves.size(), Color.GRAY);
        renderer.setSeriesStroke(curves.size(), DOTTED);
        JFreeChart chart = chart(title, plot);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        save(png, chart);
    }

    /** Precision-recall curves for "same", one per model or learning rate, each AP in the legend. */
    public static void precisionRecall(Path png, String title, List<LabelledCurve> curves) throws IOException {
        XYPlot plot = linePlot(curveSeries(curves, "AP"), axis("Recall"), axis("Precision"));
        unitSquare(plot);
        JFreeChart chart = chart(title, plot);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        save(png, chart);
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

    private static XYSeriesCollection curveSeries(List<LabelledCurve> curves, String summaryName) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (LabelledCurve labelled : curves) {
            // Not sorted by x and duplicates allowed: a PR curve goes back in x-order only by accident.
            XYSeries series = new XYSeries(String.format(Locale.ROOT, "%s (%s %.3f)", labelled.label(), summaryName,
                    labelled.summary()), false, true);
            Curve curve = labelled.curve();
            for (int i = 0; i < curve.size(); i++) {
                series.add(curve.x()[i], curve.y()[i]);
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

    private static String formatLr(double lr) {
        return String.format(Locale.ROOT, "%.0e", lr).replace("e-0", "e-");
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
