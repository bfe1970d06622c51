package simil.backend.natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads our JNI libraries from the class path, where Maven builds them into the jar: native/'s for the CPU backend,
 * kernels/emulator/'s for the CUDA backend's emulator.
 */
public final class NativeLibraries {
    private NativeLibraries() {}

    /** Copies native/linux-x86_64/lib{name}.so out of the class path to a temporary file and loads it. */
    public static void load(String name) {
        String resource = "native/linux-x86_64/lib" + name + ".so";
        try (InputStream in = NativeLibraries.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " missing from the class path: rebuild with mvn package");
            Path file = Files.createTempFile(name, ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + resource + ": " + e.getMessage(), e);
        }
    }
}
