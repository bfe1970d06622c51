package simil.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real full disk for a test: a tmpfs of a few hundred KiB mounted on a folder. Mounting needs root (CI runs as
 * root); elsewhere the test that asks for one is skipped.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code kilobytes} on {@code mountPoint} (created if needed), or skips the calling test. */
    public static SmallDisk mount(Path mountPoint, long kilobytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        int code;
        try {
            code = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "tmpfs", mountPoint.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            code = -1; // no mount command
        }
        assumeTrue(code == 0, "cannot mount a tmpfs here (needs root)");
        return new SmallDisk(mountPoint);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        int code = new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
        if (code != 0) throw new IOException("umount " + mountPoint + " exited " + code);
    }
}
