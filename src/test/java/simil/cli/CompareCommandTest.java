package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.io.ModelDirectory;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;

class CompareCommandTest {
    private static final Pattern LINE = Pattern.compile("similarity (\\d\\.\\d{4}): (similar|dissimilar) \\(threshold (\\d\\.\\d{4}), (.*)\\)");

    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void smallModel() throws IOException {
        model = dir.resolve("model");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 16, 0.3f, false, 5)), model);
    }

    private Path image(String name, String format, int c, int k, int width, int height) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(c, k, width, height), format, file.toFile()));
        return file;
    }

    private Matcher compare(Path a, Path b, String... options) {
        List<String> args = new ArrayList<>(List.of("compare", "--model", model.toString(), a.toString(), b.toString()));
        args.addAll(List.of(options));
        InProcess.Outcome r = InProcess.simil(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Matcher m = LINE.matcher(r.out().trim());
        assertTrue(m.matches(), r.out());
        return m;
    }

    @Test
    void probabilityDoesNotDependOnTheLosslessFileFormat() throws IOException {
        Matcher png = compare(image("a.png", "png", 0, 1, 90, 70), image("b.png", "png", 1, 2, 64, 64));
        Matcher bmp = compare(image("a.bmp", "bmp", 0, 1, 90, 70), image("b.bmp", "bmp", 1, 2, 64, 64));
        assertEquals(png.group(1), bmp.group(1));
        float p = Float.parseFloat(png.group(1));
        assertTrue(p > 0 && p < 1, "a probability: " + p);
        assertEquals("0.5000", png.group(3), "no threshold.json: decide at 0.5");
        assertEquals(p >= 0.5f ? "similar" : "dissimilar", png.group(2));
    }

    @Test
    void verdictUsesTheRecordedThreshold() throws IOException {
        Path a = image("a.jpg", "jpeg", 0, 1, 200, 120), b = image("b.gif", "gif", 2, 3, 32, 48);
        new DecisionThreshold(0f, "test").write(model);
        assertEquals("similar", compare(a, b).group(2));
        new DecisionThreshold(1f, "test").write(model);
        Matcher m = compare(a, b);
        assertEquals("dissimilar", m.group(2));
        assertEquals("1.0000", m.group(3));
        assertEquals("test, from " + model.resolve(DecisionThreshold.FILE), m.group(4), "an older version's threshold.json, named");
    }

    /**
     * The threshold an evaluation chose lives in its folder: compare decides at the newest evaluation's, says which file,
     * and takes --threshold as a value or a file instead.
     */
    @Test
    void theNewestEvaluationsThresholdOrTheOneGivenDecides() throws Exception {
        Path a = image("a.jpg", "jpeg", 0, 1, 64, 64), b = image("b.png", "png", 2, 3, 64, 64);
        new DecisionThreshold(0f, "an older version's").write(model);
        Path older = Files.createDirectories(model.resolve("eval-holdout-all")), newer = Files.createDirectories(model.resolve("eval-holdout-balanced"));
        new DecisionThreshold(0f, "older evaluation").write(older);
        new DecisionThreshold(1f, "newer evaluation").write(newer);
        Files.setLastModifiedTime(older.resolve(DecisionThreshold.FILE), FileTime.fromMillis(1_000_000));
        Matcher m = compare(a, b);
        assertEquals("dissimilar", m.group(2));
        assertEquals("newer evaluation, from " + newer.resolve(DecisionThreshold.FILE), m.group(4));

        assertEquals("similar", compare(a, b, "--threshold", older.toString()).group(2), "an evaluation folder");
        assertEquals("older evaluation, from " + older.resolve(DecisionThreshold.FILE),
                compare(a, b, "--threshold", older.resolve(DecisionThreshold.FILE).toString()).group(4));
        Matcher given = compare(a, b, "--threshold", "0");
        assertEquals("similar", given.group(2));
        assertEquals("given with --threshold", given.group(4));

        InProcess.Outcome bad = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString(), "--threshold", "1.5");
        assertEquals(1, bad.code());
        assertEquals("simil: error: --threshold 1.5: must be in [0, 1]\n", bad.err());
        InProcess.Outcome missing = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString(), "--threshold", "nowhere.json");
        assertEquals("simil: error: --threshold nowhere.json: neither a number in [0, 1] nor a threshold.json or a folder holding one\n", missing.err());
    }

    @Test
    void unreadableOrMissingFilesAreOneLineErrors() throws IOException {
        Path good = image("a.png", "png", 0, 1, 64, 64), text = dir.resolve("notes.jpg");
        Files.writeString(text, "not an image");
        for (Path bad : new Path[] {text, dir.resolve("absent.png")}) {
            InProcess.Outcome r = InProcess.simil("compare", "--model", model.toString(), good.toString(), bad.toString());
            assertEquals(1, r.code());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("simil: error: cannot read " + bad), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void aModelWhoseWeightsChangedOnDiskIsRefused() throws IOException {
        Path weights = model.resolve(ModelDirectory.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 2] ^= 0x10;
        Files.write(weights, bytes);
        InProcess.Outcome r = InProcess.simil("compare", "--model", model.toString(), image("a.png", "png", 0, 1, 64, 64).toString(),
                image("b.png", "png", 1, 2, 64, 64).toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("simil: error: " + weights + ": corrupt safetensors file (tensor '"), r.err());
        assertTrue(r.err().contains("fails its checksum"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anImageWhoseHeaderClaimsTooManyPixelsIsRefusedInOneLine() throws IOException {
        Path huge = image("huge.png", "png", 0, 1, 64, 64);
        byte[] png = Files.readAllBytes(huge);
        ByteBuffer.wrap(png).putInt(16, 60000).putInt(20, 60000); // IHDR's width and height
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17); // "IHDR" and its 13 bytes
        ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
        Files.write(huge, png);
        InProcess.Outcome r = InProcess.simil("compare", "--model", model.toString(), huge.toString(), image("b.png", "png", 1, 2, 64, 64).toString());
        assertEquals(1, r.code());
        assertEquals("simil: error: cannot read " + huge + ": its header claims 60000×60000 pixels, more than the 100 million an image may have",
                r.err().strip());
    }

    @Test
    void pairsFromACsvScoreAsCompareScoresEachPairInOneRun() throws IOException {
        Path a = image("a.png", "png", 0, 1, 90, 70), b = image("b, c.png", "png", 1, 2, 64, 64), c = image("c.bmp", "bmp", 0, 3, 64, 64);
        Path csv = dir.resolve("pairs.csv"), out = dir.resolve("scores.csv");
        Files.writeString(csv, "a,b\r\n" + a + ",\"" + b + "\"\r\n" + a + "," + c + "\r\n" + c + "," + a + "\r\n");
        new DecisionThreshold(0.4f, "test").write(model);
        InProcess.Outcome r = InProcess.simil("compare", "--model", model.toString(), "--pairs", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("a,b,probability,verdict", lines.get(0));
        assertEquals(4, lines.size(), r.out());
        Path[][] pairs = {{a, b}, {a, c}, {c, a}};
        for (int k = 0; k < 3; k++) {
            Matcher single = compare(pairs[k][0], pairs[k][1]);
            String line = lines.get(k + 1); // probability and verdict are the last two fields; a path may hold a comma
            String verdict = line.substring(line.lastIndexOf(',') + 1), rest = line.substring(0, line.lastIndexOf(','));
            float p = Float.parseFloat(rest.substring(rest.lastIndexOf(',') + 1));
            assertEquals(single.group(1), String.format(java.util.Locale.ROOT, "%.4f", p), line);
            assertEquals(p >= 0.4f ? "similar" : "dissimilar", verdict);
            assertEquals(single.group(2), verdict);
        }
        assertTrue(lines.get(1).startsWith(a + ",\"" + b + "\","), lines.get(1));
        assertTrue(r.err().contains("scored 3 pairs of 3 images") && r.err().contains("threshold 0.4000 (test, from " + model.resolve(DecisionThreshold.FILE) + ")"), r.err());

        InProcess.Outcome toFile = InProcess.simil("compare", "--model", model.toString(), "--pairs", csv.toString(), "--out", out.toString());
        assertEquals(0, toFile.code(), toFile.err());
        assertEquals("", toFile.out());
        assertEquals(r.out(), Files.readString(out));
    }

    @Test
    void aPairsFileWithAnUnreadableImageIsOneLineAndKeepsTheOutput() throws IOException {
        Path a = image("a.png", "png", 0, 1, 64, 64), csv = dir.resolve("pairs.csv"), out = dir.resolve("scores.csv");
        Files.writeString(csv, a + "," + a + "\n" + a + "," + dir.resolve("absent.jpg") + "\n");
        Files.writeString(out, "earlier results");
        InProcess.Outcome r = InProcess.simil("compare", "--model", model.toString(), "--pairs", csv.toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertEquals("simil: error: cannot read " + dir.resolve("absent.jpg") + ": no such file (" + csv + " line 2)", r.err().strip());
        assertEquals("earlier results", Files.readString(out));
    }

    @Test
    void imagesAndPairsAreUsageErrorsTogetherOrWhenMissing() throws IOException {
        Path a = image("a.png", "png", 0, 1, 64, 64);
        String[][] cases = {
                {"Missing required parameters: 'A', 'B'", "compare", "--model", model.toString()},
                {"Missing required parameter: 'B'", "compare", "--model", model.toString(), a.toString()},
                {"either two images A B or --pairs FILE.csv, not both", "compare", "--model", model.toString(), "--pairs", "p.csv", a.toString()},
                {"--out goes with --pairs", "compare", "--model", model.toString(), a.toString(), a.toString(), "--out", "x.csv"}};
        for (String[] c : cases) {
            InProcess.Outcome r = InProcess.simil(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), r.err());
            assertEquals("simil: error: " + c[0] + "; try 'simil compare --help'", r.err().strip());
        }
    }
}
