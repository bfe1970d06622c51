package simil.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Builds tiny TinyImageNet-layout archives and JPEGs for the tests. */
final class Fixtures {
    static final String ROOT = "tiny-imagenet-200/";

    private Fixtures() {}

    /** The wnid of fixture class {@code c}. */
    static String wnid(int c) {
        return String.format("n%08d", c + 1);
    }

    /** A {@code w x h} RGB image of one colour, JPEG-encoded at high quality. */
    static byte[] jpeg(int w, int h, int rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) image.setRGB(x, y, rgb);
        return encode(image);
    }

    /** A {@code w x h} greyscale image holding {@code value} everywhere (set on the raster: setRGB would gamma-convert it). */
    static byte[] greyJpeg(int w, int h, int value) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) image.getRaster().setSample(x, y, 0, value);
        return encode(image);
    }

    /** A 64x64 RGB image whose colour encodes {@code seed}. */
    static byte[] jpeg(int seed) {
        return jpeg(64, 64, (seed * 0x3B5F17) & 0xFFFFFF);
    }

    /** A four-channel (CMYK) JPEG whose every pixel holds {@code inks} as stored values. */
    static byte[] cmykJpeg(int[] inks) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 64, 64, 4, null);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) raster.setPixel(x, y, inks);
        return write(new IIOImage(raster, null, null));
    }

    private static byte[] encode(BufferedImage image) {
        return write(new IIOImage(image, null, null));
    }

    private static byte[] write(IIOImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            var param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** wnids.txt, words.txt and {@code perClass} training images for each of {@code classes} classes. */
    static Map<String, byte[]> archive(int classes, int perClass) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder wnids = new StringBuilder();
        StringBuilder words = new StringBuilder("n99999999\tsomething unused\n");
        for (int c = 0; c < classes; c++) {
            wnids.append(wnid(c)).append('\n');
            words.append(wnid(c)).append("\tthing ").append(c).append('\n');
        }
        files.put(ROOT + "wnids.txt", text(wnids.toString()));
        files.put(ROOT + "words.txt", text(words.toString()));
        for (int c = 0; c < classes; c++) {
            files.put(ROOT + "train/" + wnid(c) + "/" + wnid(c) + "_boxes.txt", text("boxes are ignored\n"));
            for (int k = 0; k < perClass; k++) {
                files.put(ROOT + "train/" + wnid(c) + "/images/" + wnid(c) + "_" + k + ".JPEG", jpeg(c * 1000 + k));
            }
        }
        return files;
    }

    /** Adds an official-style val/ split with {@code perClass} images of each of {@code classes} classes. */
    static void addVal(Map<String, byte[]> files, int classes, int perClass) {
        StringBuilder annotations = new StringBuilder();
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < perClass; k++) {
                String name = "val_" + (c * perClass + k) + ".JPEG";
                files.put(ROOT + "val/images/" + name, jpeg(50_000 + c * 100 + k));
                annotations.append(name).append('\t').append(wnid(c)).append("\t0\t0\t63\t63\n");
            }
        }
        files.put(ROOT + "val/val_annotations.txt", text(annotations.toString()));
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code files} as a zip (folders get their own entries, as in the official archive). */
    static Path zip(Path target, Map<String, byte[]> files) {
        try (OutputStream file = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(file)) {
            java.util.Set<String> folders = new java.util.HashSet<>();
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                String name = e.getKey();
                for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                    String folder = name.substring(0, slash + 1);
                    if (folders.add(folder)) zip.putNextEntry(new ZipEntry(folder));
                }
                if (name.endsWith("/")) {
                    if (folders.add(name)) zip.putNextEntry(new ZipEntry(name));
                    continue;
                }
                zip.putNextEntry(new ZipEntry(name));
                zip.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Writes {@code files} as an unpacked folder under {@code root}. */
    static Path folder(Path root, Map<String, byte[]> files) {
        try {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path p = root.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }
}
