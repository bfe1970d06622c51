package simil.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.SimilModelExample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.cli.InProcess;
import simil.cli.SyntheticTinyImageNet;
import simil.data.DataException;
import simil.io.CheckpointException;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.scoring.EmbeddingsFile;

/** The Java API against simil compare, and the README's example, which must be the file it quotes and must run. */
class SimilModelTest {
    private static final Path EXAMPLE = Path.of("src/test/java/example/SimilModelExample.java");

    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void smallModel() throws IOException {
        model = dir.resolve("model");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 64, 0.3f, true, true, true, 5)), model);
    }

    private Path image(String name, int c, int k, int width, int height) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(c, k, width, height), "png", file.toFile()));
        return file;
    }

    @Test
    void similarityOfTwoFilesIsWhatCompareSays() throws IOException {
        Path a = image("a.png", 0, 1, 90, 70), b = image("b.png", 1, 2, 64, 64);
        new DecisionThreshold(0.3f, "test").write(model);
        SimilModel m = SimilModel.load(model);
        InProcess.Outcome compare = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString());
        float p = m.similarity(a, b);
        assertEquals(String.format(Locale.ROOT, "similarity %.4f: %s (threshold 0.3000, test, from %s)", p, p >= 0.3f ? "similar" : "dissimilar",
                model.resolve(DecisionThreshold.FILE)),
                compare.out().strip());
        assertEquals(0.3f, m.threshold());
        assertEquals("matchnet", m.architecture());
        assertEquals(8, m.embeddingSize());
    }

    @Test
    void imagesInMemoryAndOnDiskEmbedAlike() throws IOException {
        Path file = image("a.png", 2, 3, 100, 80);
        BufferedImage image = SyntheticTinyImageNet.image(2, 3, 100, 80);
        SimilModel m = SimilModel.load(model);
        assertArrayEquals(m.embed(file), m.embed(image));
        float[][] both = m.embed(List.of(image, SyntheticTinyImageNet.image(0, 0, 64, 64)));
        assertArrayEquals(m.embed(image), both[0], 1e-6f);
        float p = m.similarity(image, SyntheticTinyImageNet.image(0, 0, 64, 64));
        assertEquals(m.similarity(both[0], both[1]), p, 1e-6f);
        assertTrue(p > 0 && p < 1, "a probability: " + p);
    }

    @Test
    void embedsAsSimilEmbedDoes() throws IOException {
        Path a = image("a.png", 0, 1, 64, 64), b = image("b.png", 1, 2, 70, 64), out = dir.resolve("e.safetensors");
        InProcess.Outcome r = InProcess.simil("embed", "--model", model.toString(), "--images", a.toString(), b.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        float[] written = EmbeddingsFile.read(out).embeddings();
        SimilModel m = SimilModel.load(model);
        // A row's place in a batch changes the last bits of its sums.
        assertArrayEquals(m.embed(b), Arrays.copyOfRange(written, 8, 16), 1e-6f);
    }

    @Test
    void badInputFailsWithOneLine() throws IOException {
        SimilModel m = SimilModel.load(model);
        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class, () -> m.similarity(new float[8], new float[7]));
        assertEquals("an embedding of 7 floats; this matchnet makes 8", wrongSize.getMessage());
        Path missing = dir.resolve("absent.jpg");
        assertEquals("cannot read " + missing + ": no such file", assertThrows(DataException.class, () -> m.embed(missing)).getMessage());
        CheckpointException noModel = assertThrows(CheckpointException.class, () -> SimilModel.load(dir.resolve("nothing")));
        assertEquals(1, noModel.getMessage().lines().count(), noModel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimilModel.load(model, "tpu"));
    }

    @Test
    void theReadmeQuotesTheExampleWhichRuns() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("<!-- " + Pattern.quote(EXAMPLE.toString()) + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README.md quotes " + EXAMPLE + " after a <!-- " + EXAMPLE + " --> line");
        assertEquals(Files.readString(EXAMPLE), block.group(1));

        Path a = image("a.png", 0, 1, 64, 64), b = image("b.png", 0, 2, 64, 64);
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            SimilModelExample.main(new String[] {model.toString(), a.toString(), b.toString()});
        } finally {
            System.setOut(out);
        }
        SimilModel m = SimilModel.load(model);
        float p = m.similarity(m.embed(a), m.embed(b));
        assertEquals(String.format("similarity %.4f: %s%n", p, p >= 0.5f ? "similar" : "dissimilar"), printed.toString(StandardCharsets.UTF_8));
    }
}
