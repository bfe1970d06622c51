package simil.data;

import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Read-only access to the files of a dataset, whether a zip or an unpacked folder; safe to read from several threads. */
public interface ArchiveReader extends Closeable {
    /** Every file (not folder) inside, as '/'-separated paths relative to the archive root. */
    List<String> files();

    /** The bytes of one file; a {@link DataException} naming it when it cannot be read. */
    byte[] read(String path);

    /** The archive itself, for error messages and the cache key. */
    Path location();

    @Override
    void close();

    /** Opens a zip file or a folder. */
    static ArchiveReader open(Path location) {
        if (Files.isDirectory(location)) return new FolderArchiveReader(location);
        if (Files.isRegularFile(location)) return new ZipArchiveReader(location);
        throw new DataException("data not found: " + location);
    }
}
