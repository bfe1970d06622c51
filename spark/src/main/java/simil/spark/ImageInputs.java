package simil.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import simil.data.ArchiveReader;
import simil.data.DataException;
import simil.data.ImageSources;

/**
 * The images {@code simil-spark embed} reads, on any Hadoop filesystem: each input is a folder (every image file under it,
 * in name order), a zip (every image entry, in name order), a list ({@code .txt} or {@code .tsv}: one image a line, a
 * path or {@code ZIP!/entry}, relative ones as any path of the command line, optionally a tab and the image's label; the
 * ids {@code simil embed} writes are such paths) or one image file. Images count by their names, as {@code simil embed} counts them ({@link ImageSources#isImage}); an image's id is
 * the path as found ({@code hdfs:///photos/sub/a.jpg}, {@code data.zip!/train/a.jpg}), as {@code simil embed} names them.
 */
final class ImageInputs {
    /** Zips this JVM has open, by location: read by several tasks at once (an ArchiveReader is safe for that). */
    private static final Map<String, ArchiveReader> ZIPS = new ConcurrentHashMap<>();

    private ImageInputs() {}

    /**
     * One image: in {@code file} (a path of any Hadoop filesystem), or its {@code entry} when that is a zip; {@code label}
     * null when not known.
     */
    record Image(String id, String label, String file, String entry) implements Serializable {}

    /**
     * The images of {@code inputs}, in order. Without a label from a list, an image's label is the name of the folder
     * {@code labelDepth} levels above it (1: its own folder; 0: no label), inside its folder or zip or, for a listed file, in
     * its path as listed. One line naming an input that does not exist or holds no image.
     */
    static List<Image> list(List<String> inputs, int labelDepth, Configuration conf) {
        List<Image> images = new ArrayList<>();
        for (String input : inputs) {
            int before = images.size();
            try {
                Path path = new Path(input);
                FileSystem fs = path.getFileSystem(conf);
                if (!fs.exists(path)) throw new DataException("cannot read " + input + ": no such file or folder");
                FileStatus status = fs.getFileStatus(path);
                String name = path.getName().toLowerCase(Locale.ROOT);
                if (status.isDirectory()) {
                    folder(input, fs, path, labelDepth, images);
                } else if (name.endsWith(".zip")) {
                    zip(input, labelDepth, conf, images);
                } else if (name.endsWith(".txt") || name.endsWith(".tsv")) {
                    listed(input, fs, path, labelDepth, conf, images);
                } else {
                    images.add(new Image(input, label(input, input, labelDepth), input, null));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + input + ": " + e.getMessage(), e);
            }
            if (images.size() == before) throw new DataException(input + ": no image files in it");
        }
        return images;
    }

    private static void folder(String input, FileSystem fs, Path folder, int labelDepth, List<Image> images) throws IOException {
        String root = fs.makeQualified(folder).toUri().getPath();
        String prefix = input.endsWith("/") ? input : input + "/";
        List<String> entries = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(folder, true);
        while (files.hasNext()) {
            String file = files.next().getPath().toUri().getPath();
            String entry = file.substring(root.length() + (root.endsWith("/") ? 0 : 1));
            if (ImageSources.isImage(entry)) entries.add(entry);
        }
        entries.sort(Comparator.naturalOrder());
        for (String entry : entries) images.add(new Image(prefix + entry, label(prefix + entry, entry, labelDepth), prefix + entry, null));
    }

    private static void zip(String input, int labelDepth, Configuration conf, List<Image> images) {
        List<String> entries = reader(input, conf).files().stream().filter(ImageSources::isImage).sorted().toList();
        for (String entry : entries) {
            String id = input + "!/" + entry;
            images.add(new Image(id, label(id, entry, labelDepth), input, entry));
        }
    }

    private static void listed(String input, FileSystem fs, Path list, int labelDepth, Configuration conf, List<Image> images) throws IOException {
        String text;
        try (var in = fs.open(list)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int number = 0;
        for (String line : text.lines().toList()) {
            number++;
            if (line.isBlank()) continue;
            int tab = line.indexOf('\t');
            String where = tab < 0 ? line.strip() : line.substring(0, tab).strip(), label = tab < 0 ? null : line.substring(tab + 1).strip();
            if (where.isEmpty() || (label != null && label.isEmpty())) {
                throw new DataException(input + " line " + number + ": expected PATH or PATH<TAB>LABEL, got '" + line + "'");
            }
            int bang = where.indexOf("!/");
            String file = bang < 0 ? where : where.substring(0, bang), entry = bang < 0 ? null : where.substring(bang + 2);
            images.add(new Image(where, label != null ? label : label(where, entry != null ? entry : where, labelDepth), file, entry));
        }
    }

    /** The name of the folder {@code depth} levels above the image at {@code path} (0: no label). */
    private static String label(String id, String path, int depth) {
        if (depth == 0) return null;
        String[] parts = path.split("/");
        int at = parts.length - 1 - depth;
        if (at < 0 || parts[at].isEmpty()) throw new DataException(id + ": no folder " + depth + " level(s) above the image to take its label from");
        return parts[at];
    }

    /** Image {@code image} as 64×64 RGB, channel-major, into {@code out[offset ..]}, as {@code simil embed} reads it. */
    static void read(Image image, Configuration conf, byte[] out, int offset) {
        byte[] bytes;
        if (image.entry() != null) {
            bytes = reader(image.file(), conf).read(image.entry());
        } else {
            try {
                Path path = new Path(image.file());
                try (var in = path.getFileSystem(conf).open(path)) {
                    bytes = in.readAllBytes();
                }
            } catch (IOException e) {
                throw new DataException("cannot read " + image.id() + ": " + e.getMessage(), e);
            }
        }
        ImageSources.decode(image.id(), bytes, out, offset);
    }

    private static ArchiveReader reader(String zip, Configuration conf) {
        return ZIPS.computeIfAbsent(zip, key -> ArchiveReader.open(LocalCopies.of(key, conf)));
    }
}
