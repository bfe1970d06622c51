package simil.evaluation;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import simil.io.AtomicFiles;

/**
 * Reads and writes {@code metrics.csv}, the per-epoch training metrics the trainer writes and the
 * plots read. Columns: {@code epoch,lr,train_loss,train_acc,val_loss,val_acc,seconds,phase}; numbers in
 * plain decimal ({@code 0.0001}, not {@code 1.0E-4}) that parse back to the same doubles. Reading
 * finds columns by name, so extra columns and another order are accepted, and {@code phase}, which files
 * written before it lack, may be missing.
 */
public final class MetricsCsv {
    private MetricsCsv() {}

    private static final List<String> COLUMNS =
            List.of("epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc", "seconds");
    private static final String PHASE = "phase";

    /** Writes all rows, replacing the file atomically (the trainer rewrites it after every epoch). */
    public static void write(Path file, List<EpochMetrics> rows) throws IOException {
        StringBuilder text = new StringBuilder(String.join(",", COLUMNS)).append(',').append(PHASE).append('\n');
        for (EpochMetrics row : rows) {
            text.append(row.epoch()).append(',')
                    .append(plain(row.lr())).append(',')
                    .append(plain(row.trainLoss())).append(',')
                    .append(plain(row.trainAcc())).append(',')
                    .append(plain(row.valLoss())).append(',')
                    .append(plain(row.valAcc())).append(',')
                    .append(plain(row.seconds())).append(',')
                    .append(row.phase() == null ? "" : row.phase()).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    public static List<EpochMetrics> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty, expected the header " + String.join(",", COLUMNS));
        }
        List<String> header = Arrays.asList(lines.get(0).trim().split(",", -1));
        int[] column = new int[COLUMNS.size()];
        for (int c = 0; c < column.length; c++) {
            column[c] = header.indexOf(COLUMNS.get(c));
            if (column[c] < 0) {
                throw new IOException(file + ": no column " + COLUMNS.get(c) + " in header " + lines.get(0));
            }
        }
        int phase = header.indexOf(PHASE);
        List<EpochMetrics> rows = new ArrayList<>();
        for (int line = 1; line < lines.size(); line++) {
            if (lines.get(line).isBlank()) {
                continue;
            }
            String[] cells = lines.get(line).trim().split(",", -1);
            try {
                rows.add(new EpochMetrics(Integer.parseInt(cells[column[0]]),
                        Double.parseDouble(cells[column[1]]), Double.parseDouble(cells[column[2]]),
                        Double.parseDouble(cells[column[3]]), Double.parseDouble(cells[column[4]]),
                        Double.parseDouble(cells[column[5]]), Double.parseDouble(cells[column[6]]),
                        phase < 0 || cells[phase].isEmpty() ? null : cells[phase]));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(file + ":" + (line + 1) + ": cannot read \"" + lines.get(line) + "\": " + e, e);
            }
        }
        return rows;
    }

    /** The shortest decimal that parses back to {@code value}, without an exponent; NaN and infinities as Java spells them. */
    private static String plain(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
