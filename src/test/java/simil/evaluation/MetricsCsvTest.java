package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {

    @Test
    void writesPlainDecimalsThatReadBackExactly(@TempDir Path dir) throws IOException {
        List<EpochMetrics> rows = List.of(
                new EpochMetrics(1, 1e-4, 0.6931471805599453, 0.5012, 0.69, 0.5, 61.25, "classifier"),
                new EpochMetrics(2, 5e-4, 0.1 + 0.2, 1.0 / 3, 0.7, 0.49, 60, "classifier"));
        Path file = dir.resolve("metrics.csv");
        MetricsCsv.write(file, rows);
        List<String> lines = Files.readAllLines(file);
        assertEquals("epoch,lr,train_loss,train_acc,val_loss,val_acc,seconds,phase", lines.get(0));
        assertEquals("1,0.0001,0.6931471805599453,0.5012,0.69,0.5,61.25,classifier", lines.get(1));
        assertEquals(rows, MetricsCsv.read(file));
    }

    @Test
    void readsColumnsByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "lr,epoch,seconds,val_acc,val_loss,train_acc,train_loss,note\n"
                + "0.001,3,12.5,0.6,0.65,0.62,0.64,x\n\n");
        assertEquals(List.of(new EpochMetrics(3, 0.001, 0.64, 0.62, 0.65, 0.6, 12.5, null)), MetricsCsv.read(file));
    }

    @Test
    void namesTheMissingColumnAndTheBadLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "epoch,lr,train_loss,train_acc,val_loss,seconds\n");
        IOException missing = assertThrows(IOException.class, () -> MetricsCsv.read(file));
        assertEquals(true, missing.getMessage().contains("val_acc"), missing.getMessage());

        Files.writeString(file, "epoch,lr,train_loss,train_acc,val_loss,val_acc,seconds\n1,0.001,x,0,0,0,0\n");
        IOException bad = assertThrows(IOException.class, () -> MetricsCsv.read(file));
        assertEquals(true, bad.getMessage().contains(":2:"), bad.getMessage());
    }
}
