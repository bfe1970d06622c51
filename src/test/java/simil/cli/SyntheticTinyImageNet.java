package simil.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * A tiny TinyImageNet-layout zip for end-to-end tests of the commands: {@code classes} classes of
 * {@code perClass} noisy 64×64 JPEGs whose mean colour depends on the class (so pairs are learnable).
 */
public final class SyntheticTinyImageNet {
    private SyntheticTinyImageNet() {}

    public static String wnid(int c) {
        return String.format("n%08d", c + 1);
    }

    public static Path zip(Path target, int classes, int perClass) throws IOException {
        return zip(target, classes, perClass, 0);
    }

    /**
     * The same train/, and an official-style val/ of {@code valPerClass} images of each class (val/images/ and
     * val/val_annotations.txt) when that is more than 0, as in the official tiny-imagenet-200.zip.
     */
    public static Path zip(Path target, int classes, int perClass, int valPerClass) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(file)) {
            StringBuilder wnids = new StringBuilder(), words = new StringBuilder();
            for (int c = 0; c < classes; c++) {
                wnids.append(wnid(c)).append('\n');
                words.append(wnid(c)).append("\tthing ").append(c).append('\n');
            }
            put(zip, "tiny-imagenet-200/wnids.txt", wnids.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "tiny-imagenet-200/words.txt", words.toString().getBytes(StandardCharsets.UTF_8));
            for (int c = 0; c < classes; c++) {
                for (int k = 0; k < perClass; k++) {
                    put(zip, "tiny-imagenet-200/train/" + wnid(c) + "/images/" + wnid(c) + "_" + k + ".JPEG",
                            jpeg(image(c, k, 64, 64)));
                }
            }
            StringBuilder annotations = new StringBuilder();
            for (int c = 0; c < classes; c++) {
                for (int k = 0; k < valPerClass; k++) {
                    String name = "val_" + (c * valPerClass + k) + ".JPEG";
                    put(zip, "tiny-imagenet-200/val/images/" + name, jpeg(image(c, 1000 + k, 64, 64)));
                    annotations.append(name).append('\t').append(wnid(c)).append("\t0\t0\t63\t63\n");
                }
            }
            if (valPerClass > 0) put(zip, "tiny-imagenet-200/val/val_annotations.txt", annotations.toString().getBytes(StandardCharsets.UTF_8));
        }
        return target;
    }

    /** Class {@code c}'s colour plus per-pixel noise seeded by (c, k). */
    public static BufferedImage image(int c, int k, int width, int height) {
        SplittableRandom random = new SplittableRandom(31L * c + k);
        int base = (c * 0x5A3C71) & 0xFFFFFF;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int v = ((base >> shift) & 0xFF) + random.nextInt(-40, 41);
                    rgb |= Math.max(0, Math.min(255, v)) << shift;
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    public static byte[] jpeg(BufferedImage image) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", bytes);
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
