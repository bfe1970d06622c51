package simil.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the files of an unpacked dataset folder. */
final class FolderArchiveReader implements ArchiveReader {
    private final Path root;

    FolderArchiveReader(Path root) {
        this.root = root;
    }

    @Override
    public List<String> files() {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String path) {
        Path file = root.resolve(path);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path location() {
        return root;
    }

    @Override
    public void close() {}
}
