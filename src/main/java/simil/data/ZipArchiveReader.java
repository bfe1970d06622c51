package simil.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads the entries of a zip in place, without unpacking it. */
final class ZipArchiveReader implements ArchiveReader {
    private final Path location;
    private final ZipFile zip;

    ZipArchiveReader(Path location) {
        this.location = location;
        try {
            this.zip = new ZipFile(location.toFile());
        } catch (IOException e) {
            throw new DataException("truncated or damaged zip " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> files() {
        return zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
    }

    @Override
    public byte[] read(String path) {
        ZipEntry entry = zip.getEntry(path);
        if (entry == null) throw new DataException("missing " + path + " in " + location);
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DataException("cannot read " + path + " in " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path location() {
        return location;
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new DataException("cannot close " + location + ": " + e.getMessage(), e);
        }
    }
}
