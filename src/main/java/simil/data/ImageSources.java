package simil.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Images the user names for {@code compare}, {@code embed} and {@code search}: each path is one image file, a folder
 * (every image file under it, recursively) or a zip (every image entry in it), folders and zips in name order.
 * An image's id is its path as found ({@code photos/cat/1.jpg}), or {@code ZIP!/entry} inside a zip. An image is
 * read as the models see it: 64×64 RGB, resized bilinearly, channel-major bytes ({@link JpegDecoder#toChannelMajor}).
 */
public final class ImageSources implements AutoCloseable {
    /** What counts as an image inside a folder or zip (other files, such as a zip's wnids.txt, are passed over). */
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff", "wbmp");

    /** One image: read from a file, or an entry of one of the open archives. */
    private record Source(String id, Path file, ArchiveReader archive, String entry) {}

    private final List<Source> sources;
    private final List<ArchiveReader> archives;

    private ImageSources(List<Source> sources, List<ArchiveReader> archives) {
        this.sources = sources;
        this.archives = archives;
    }

    /** The images of {@code paths}; one line naming a path that does not exist or a folder or zip with no image. */
    public static ImageSources open(List<Path> paths) {
        List<Source> sources = new ArrayList<>();
        List<ArchiveReader> archives = new ArrayList<>();
        try {
            for (Path path : paths) {
                boolean folder = Files.isDirectory(path), zip = !folder && isZip(path);
                if (!folder && !zip) {
                    if (!Files.isRegularFile(path)) throw new DataException("cannot read " + path + ": no such file or folder");
                    sources.add(new Source(path.toString(), path, null, null));
                    continue;
                }
                ArchiveReader archive = ArchiveReader.open(path);
                archives.add(archive);
                int before = sources.size();
                for (String entry : archive.files().stream().filter(ImageSources::isImage).sorted().toList()) {
                    String id = folder ? path.resolve(entry).toString() : path + "!/" + entry;
                    sources.add(new Source(id, null, archive, entry));
                }
                if (sources.size() == before) {
                    throw new DataException(path + ": no image files in it (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")");
                }
            }
        } catch (RuntimeException e) {
            archives.forEach(ArchiveReader::close);
            throw e;
        }
        return new ImageSources(List.copyOf(sources), List.copyOf(archives));
    }

    private static boolean isZip(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /** Whether a file or entry of a folder or zip counts as an image, by its name's extension. */
    public static boolean isImage(String entry) {
        int dot = entry.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(entry.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public int size() { return sources.size(); }

    public String id(int i) { return sources.get(i).id(); }

    /** Image {@code i} as 64×64 RGB, channel-major, into {@code out[offset ..]}; one line naming it when it is not a sound image. */
    public void read(int i, byte[] out, int offset) {
        Source s = sources.get(i);
        if (s.file() != null) {
            readFile(s.file(), out, offset);
            return;
        }
        decode(s.id(), s.archive().read(s.entry()), out, offset);
    }

    /**
     * An image file's {@code bytes} (any format ImageIO knows) as 64×64 RGB, channel-major, into {@code out[offset ..]}, as
     * {@link #read} reads an image; one line naming the image ({@code id}) when it is not a sound one.
     */
    public static void decode(String id, byte[] bytes, byte[] out, int offset) {
        BufferedImage image;
        try {
            image = ImageDecoding.readBytes(bytes);
        } catch (IOException e) {
            throw new DataException("cannot read " + id + ": " + e.getMessage(), e);
        }
        if (image == null) throw new DataException("cannot read " + id + ": not an image format ImageIO knows");
        JpegDecoder.toChannelMajor(image, out, offset);
    }

    /** An image file as 64×64 RGB, channel-major, into {@code out[offset ..]}; one line naming it when it is not a sound image. */
    public static void readFile(Path file, byte[] out, int offset) {
        if (!Files.isRegularFile(file)) throw new DataException("cannot read " + file + ": no such file");
        BufferedImage image;
        try {
            image = ImageDecoding.readFile(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (image == null) throw new DataException("cannot read " + file + ": not an image format ImageIO knows");
        JpegDecoder.toChannelMajor(image, out, offset);
    }

    @Override
    public void close() {
        archives.forEach(ArchiveReader::close);
    }
}
