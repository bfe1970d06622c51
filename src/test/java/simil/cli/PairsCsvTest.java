package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairsCsvTest {
    @TempDir
    Path dir;

    private List<PairsCsv.Pair> read(String text) throws IOException {
        Path file = dir.resolve("pairs.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return PairsCsv.read(file);
    }

    private String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> read(text)).getMessage().replace(dir.resolve("pairs.csv").toString(), "F");
    }

    @Test
    void readsQuotesCrlfBlankLinesAndAnOptionalHeader() throws IOException {
        List<PairsCsv.Pair> pairs = read("\uFEFFa,b\r\nx.jpg,y.png\r\n\r\n\"dir, with comma/p.jpg\",\"say \"\"hi\"\".jpg\"\n\"two\nlines.jpg\",z.jpg");
        assertEquals(List.of(new PairsCsv.Pair("x.jpg", "y.png", 2), new PairsCsv.Pair("dir, with comma/p.jpg", "say \"hi\".jpg", 4),
                new PairsCsv.Pair("two\nlines.jpg", "z.jpg", 5)), pairs);
        assertEquals(List.of(new PairsCsv.Pair("a.jpg", "b.jpg", 1)), read("a.jpg,b.jpg\n"), "no header: the first line is a pair");
    }

    @Test
    void malformedFilesAreOneLineNamingTheLine() {
        assertEquals("F line 2: 3 columns, expected 2 (a,b: two image paths)", error("a,b\nx,y,z\n"));
        assertEquals("F line 1: 1 column, expected 2 (a,b: two image paths)", error("x.jpg\n"));
        assertEquals("F line 2: a quoted field is not closed", error("a,b\n\"x,y\n"));
        assertEquals("F line 1: text after a quoted field", error("\"x\"y,z\n"));
        assertEquals("F line 1: an empty image path", error(",z\n"));
        assertEquals("F: no pairs (expected lines of two image paths a,b)", error("a,b\n\n"));
        Path absent = dir.resolve("absent.csv");
        assertEquals("cannot read " + absent + ": no such file", assertThrows(IllegalArgumentException.class, () -> PairsCsv.read(absent)).getMessage());
    }

    @Test
    void writesAFieldQuotedOnlyWhenItMustBe() {
        List<PairsCsv.Pair> pairs = List.of(new PairsCsv.Pair("a.jpg", "b, c.jpg", 1), new PairsCsv.Pair("q\"d.jpg", "e.jpg", 2));
        assertEquals("a,b,probability,verdict\na.jpg,\"b, c.jpg\",0.250000,dissimilar\n\"q\"\"d.jpg\",e.jpg,0.750000,similar\n",
                PairsCsv.write(pairs, new float[] {0.25f, 0.75f}, 0.5f));
    }
}
