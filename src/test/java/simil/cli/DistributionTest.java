package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What ships with the command: its version from the build, the licence, the documented exit codes. */
class DistributionTest {
    /** The project's own version, as pom.xml declares it (the first version element after the parent-less coordinates). */
    private static String pomVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>simil</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml declares simil's version");
        return m.group(1);
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        for (String flag : new String[] {"-V", "--version"}) {
            InProcess.Outcome r = InProcess.simil(flag);
            assertEquals(0, r.code(), r.err());
            assertEquals("simil " + pomVersion() + "\n", r.out());
        }
    }

    @Test
    void exitCodesAreZeroOneAndTwo() {
        assertEquals(0, InProcess.simil("--help").code());
        assertEquals(0, InProcess.simil("train", "--help").code());
        // A usage error: the command line cannot be parsed.
        assertEquals(2, InProcess.simil("train", "matchnet", "--epochs", "many", "--out", "x").code());
        assertEquals(2, InProcess.simil("evaluate").code());
        // A failure while running: here a value out of range.
        assertEquals(1, InProcess.simil("train", "matchnet", "--batch", "0", "--out", "x").code());
    }

    @Test
    void theLicenceIsApache2() throws Exception {
        String licence = Files.readString(Path.of("LICENSE"));
        assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004"), "LICENSE is the Apache License 2.0");
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<name>Apache License, Version 2.0</name>"), "pom.xml declares it");
    }
}
