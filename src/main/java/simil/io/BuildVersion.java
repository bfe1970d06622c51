package simil.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build of Simil, as Maven wrote it into {@code simil/build.properties} (resource filtering of
 * {@code ${project.version}}), so that {@code simil -V} and a run's provenance report the build that ran, not a
 * number typed into the code.
 */
public final class BuildVersion {
    private static final String RESOURCE = "/simil/build.properties";

    private BuildVersion() {}

    /** {@code 0.1.0-SNAPSHOT}; "unknown (not built by Maven)" for classes compiled without the filtered resource. */
    public static String get() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "unknown (not built by Maven)";
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            return version.isEmpty() || version.startsWith("${") ? "unknown (not built by Maven)" : version;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }
}
