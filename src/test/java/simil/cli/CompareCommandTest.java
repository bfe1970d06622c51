package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private Matcher compare(Path a, Path b) {
        InProcess.Outcome r = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString());
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
        assertEquals("test", m.group(4));
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
}
