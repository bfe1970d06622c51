package simil.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.scoring.EmbeddingsFile;

/** simil embed and simil search end to end, on a tiny model and a few synthetic images. */
class EmbedSearchCommandTest {
    private static final Pattern HIT = Pattern.compile("(\\d+)\t(.+)\t(\\d\\.\\d{4})");

    @TempDir
    Path dir;

    private Path model, photos, zip;

    @BeforeEach
    void modelAndImages() throws IOException {
        model = dir.resolve("model");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 64, 0.3f, true, true, true, 5)), model);
        photos = dir.resolve("photos");
        Files.createDirectories(photos.resolve("sub"));
        for (int k = 0; k < 6; k++) {
            Path file = photos.resolve(k < 3 ? "p" + k + ".png" : "sub/q" + k + ".png");
            assertTrue(ImageIO.write(SyntheticTinyImageNet.image(k % 3, k, 64 + 4 * k, 64), "png", file.toFile()));
        }
        Files.writeString(photos.resolve("notes.txt"), "not an image, passed over");
        zip = dir.resolve("more.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (int k = 0; k < 2; k++) {
                out.putNextEntry(new ZipEntry("imgs/z" + k + ".jpg"));
                out.write(SyntheticTinyImageNet.jpeg(SyntheticTinyImageNet.image(k, 10 + k, 64, 64)));
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("imgs/readme.txt"));
            out.write("passed over".getBytes());
            out.closeEntry();
        }
    }

    private InProcess.Outcome ok(String... args) {
        InProcess.Outcome r = InProcess.simil(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void embedWritesEveryImageOfFilesFoldersAndZipsWithItsId() throws IOException {
        Path out = dir.resolve("e.safetensors"), single = photos.resolve("p1.png");
        ok("embed", "--model", model.toString(), "--images", photos.toString(), zip.toString(), single.toString(), "--out", out.toString());
        EmbeddingsFile.Contents c = EmbeddingsFile.read(out);
        List<String> ids = List.of(photos.resolve("p0.png").toString(), photos.resolve("p1.png").toString(), photos.resolve("p2.png").toString(),
                photos.resolve("sub/q3.png").toString(), photos.resolve("sub/q4.png").toString(), photos.resolve("sub/q5.png").toString(),
                zip + "!/imgs/z0.jpg", zip + "!/imgs/z1.jpg", single.toString());
        assertEquals(ids, c.ids());
        assertEquals(8, c.dimension());
        assertEquals(ModelFiles.weightsSha256(model), c.modelSha256());
        float[] p1 = Arrays.copyOfRange(c.embeddings(), 8, 16);
        // A row's place in a batch changes the last bits of its sums.
        assertArrayEquals(p1, Arrays.copyOfRange(c.embeddings(), 64, 72), 1e-6f, "the same file twice, the same embedding");
    }

    @Test
    void searchOverAFolderOrItsEmbeddingsGivesTheSameHitsAsCompare() throws IOException {
        Path gallery = dir.resolve("gallery.safetensors"), query = photos.resolve("sub/q4.png");
        ok("embed", "--model", model.toString(), "--images", photos.toString(), "--out", gallery.toString());
        String fromFile = ok("search", "--model", model.toString(), "--gallery", gallery.toString(), "--query", query.toString(), "--k", "4").out();
        String fromFolder = ok("search", "--model", model.toString(), "--gallery", photos.toString(), "--query", query.toString(), "--k", "4").out();
        assertEquals(fromFolder, fromFile);
        List<String> lines = fromFile.lines().toList();
        assertEquals("query " + query, lines.get(0));
        assertEquals(5, lines.size(), fromFile);
        float previous = 1f;
        for (int r = 1; r <= 4; r++) {
            Matcher m = HIT.matcher(lines.get(r));
            assertTrue(m.matches(), lines.get(r));
            assertEquals(String.valueOf(r), m.group(1));
            float p = Float.parseFloat(m.group(3));
            assertTrue(p <= previous, "best first: " + fromFile);
            previous = p;
            String compare = ok("compare", "--model", model.toString(), query.toString(), m.group(2)).out();
            assertTrue(compare.startsWith("similarity " + m.group(3) + ": "), "search says " + lines.get(r) + ", compare " + compare);
        }
    }

    @Test
    void jsonHasEveryQueryWithItsHits() {
        String json = ok("search", "--model", model.toString(), "--gallery", zip.toString(), "--query", photos.resolve("p0.png").toString(),
                photos.resolve("p2.png").toString(), "--k", "5", "--json", "--precision", "fp32").out();
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        assertEquals(2, root.get("gallery_images").getAsInt());
        assertEquals("fp32", root.get("precision").getAsString());
        assertEquals(0.5f, root.get("threshold").getAsFloat());
        JsonArray queries = root.getAsJsonArray("queries");
        assertEquals(2, queries.size());
        List<String> ids = new ArrayList<>();
        for (var hit : queries.get(1).getAsJsonObject().getAsJsonArray("hits")) {
            JsonObject h = hit.getAsJsonObject();
            ids.add(h.get("id").getAsString());
            assertEquals(h.get("probability").getAsFloat() >= 0.5f, h.get("similar").getAsBoolean());
        }
        assertEquals(2, ids.size(), "k 5 over a gallery of 2: both");
        assertEquals(List.of(zip + "!/imgs/z0.jpg", zip + "!/imgs/z1.jpg"), ids.stream().sorted().toList());
        assertEquals(photos.resolve("p2.png").toString(), queries.get(1).getAsJsonObject().get("query").getAsString());
    }

    @Test
    void embeddingsOfAnotherModelAndBadOptionsAreOneLineErrors() throws IOException {
        Path other = dir.resolve("other"), gallery = dir.resolve("g.safetensors");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 64, 0.3f, true, true, true, 6)), other);
        ok("embed", "--model", other.toString(), "--images", zip.toString(), "--out", gallery.toString());
        InProcess.Outcome r = InProcess.simil("search", "--model", model.toString(), "--gallery", gallery.toString(), "--query", photos.resolve("p0.png").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("simil: error: " + gallery + ": embedded by another model (" + other), r.err());
        assertEquals("", r.out());

        r = InProcess.simil("search", "--model", model.toString(), "--gallery", zip.toString(), "--query", photos.toString(), "--k", "0");
        assertEquals("simil: error: --k 0: must be 1 or more", r.err().strip());
        r = InProcess.simil("embed", "--model", model.toString(), "--images", dir.resolve("absent").toString(), "--out", gallery.toString());
        assertEquals("simil: error: cannot read " + dir.resolve("absent") + ": no such file or folder", r.err().strip());
        r = InProcess.simil("embed", "--model", model.toString(), "--images", model.toString(), "--out", gallery.toString());
        assertTrue(r.err().startsWith("simil: error: " + model + ": no image files in it"), r.err());
        r = InProcess.simil("embed", "--model", model.toString(), "--images", zip.toString(), "--split", "holdout", "--out", gallery.toString());
        assertEquals(2, r.code(), "a usage error");
        assertTrue(r.err().contains("mutually exclusive") && r.err().endsWith("try 'simil embed --help'\n"), r.err());
        assertEquals(List.of(zip + "!/imgs/z0.jpg", zip + "!/imgs/z1.jpg"), EmbeddingsFile.read(gallery).ids(), "failed runs left the file as it was");
    }

    /** A split's images are named by their archive entries and labelled; a child JVM, for the image cache. */
    @Test
    void embedSplitNamesAndLabelsTheSplitsImages() throws Exception {
        Path data = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 3, 8), out = dir.resolve("holdout.safetensors");
        SimilProcess.Result r = new SimilProcess(dir).run("embed", "embed", "--model", model.toString(), "--split", "holdout", "--data", data.toString(),
                "--holdout", "2", "--val-per-class", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        EmbeddingsFile.Contents c = EmbeddingsFile.read(out);
        assertEquals(6, c.count());
        assertEquals(List.of(SyntheticTinyImageNet.wnid(0), SyntheticTinyImageNet.wnid(1), SyntheticTinyImageNet.wnid(2)), c.classes());
        for (int i = 0; i < 6; i++) {
            String wnid = c.classes().get(c.labels()[i]);
            assertTrue(c.ids().get(i).startsWith(data + "!/tiny-imagenet-200/train/" + wnid + "/images/" + wnid + "_"), c.ids().get(i));
        }
        assertEquals(6, c.ids().stream().distinct().count());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("embedding holdout [") && l.contains("100% 6/6 images") && l.contains(" elapsed, ETA 0 s")),
                r.err());
    }

    /**
     * Embedding shows its progress with elapsed time and ETA, as decoding does; to a log (here a buffer, in a test JVM
     * whose standard error is not a terminal) as whole lines, every ten percent, never a '\r'.
     */
    @Test
    void embedShowsProgressAsPlainLinesWhenNotOnATerminal() throws IOException {
        Path many = dir.resolve("many");
        Files.createDirectories(many);
        int count = 2 * 64 + 2;  // three batches of the tower
        for (int k = 0; k < count; k++) {
            assertTrue(ImageIO.write(SyntheticTinyImageNet.image(k % 3, k, 64, 64), "png", many.resolve(String.format("i%03d.png", k)).toFile()));
        }
        InProcess.Outcome r = ok("embed", "--model", model.toString(), "--images", many.toString(), "--out", dir.resolve("many.safetensors").toString());
        assertFalse(r.err().contains("\r"), "a log holds whole lines only: " + r.err());
        Pattern line = Pattern.compile("embedding \\[[= ]{30}\\] +(\\d+)% (\\d+)/" + count + " images, \\d+ s elapsed, ETA \\d+ s");
        List<Integer> done = new ArrayList<>(), percents = new ArrayList<>();
        for (String l : r.err().lines().filter(l -> l.startsWith("embedding")).toList()) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            percents.add(Integer.parseInt(m.group(1)));
            done.add(Integer.parseInt(m.group(2)));
        }
        // After each batch of 64: 49% shown as its tenth (40%), 98% as 90%, then the end.
        assertEquals(List.of(64, 128, count), done, r.err());
        assertEquals(List.of(40, 90, 100), percents, r.err());
    }
}
