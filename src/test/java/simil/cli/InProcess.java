package simil.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code simil args...} in this JVM ({@link Main#run}) and captures what it prints. Only for commands that
 * read no images: the image cache would be the user's, as the child JVMs of {@link SimilProcess} are not.
 */
public final class InProcess {
    private InProcess() {}

    /** Exit code, stdout and stderr of one command. */
    public record Outcome(int code, String out, String err) {}

    public static Outcome simil(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
