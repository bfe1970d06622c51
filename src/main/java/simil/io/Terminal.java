package simil.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether progress written to a stream may redraw its line in place ({@code '\r'}): only on a terminal. Redirected
 * to a file or a pipe, each redraw would stay in the log as a fragment, so progress is written as plain lines.
 */
public final class Terminal {
    private Terminal() {}

    /**
     * True when {@code stream} is this process's standard output or error and that goes to a terminal: on Linux its
     * file descriptor's target ({@code /proc/self/fd/N} naming a {@code /dev/pts/} or {@code /dev/tty} device), else
     * when Java has a console.
     */
    public static boolean redraws(PrintStream stream) {
        int fd = stream == System.err ? 2 : stream == System.out ? 1 : -1;
        if (fd < 0) return false;
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException noProc) {
            return System.console() != null;
        }
    }
}
