package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What CI checks of our kernels without a GPU: every kernel of kernels/*.cu is in the fatbin as sm_80, sm_89 and
 * sm_90 code and as compute_90 PTX, ptxas reports no spills in any of them (all kernels, not only the hot ones), and
 * every kernel the Java side names ({@link Kernel#named}, in the Cuda*Ops classes) is in it. Skipped, saying why,
 * where nvcc was missing when kernels/build.sh ran.
 */
class KernelBuildTest {
    private static final Path BUILD = Path.of("target", "kernels");
    private static final List<String> ARCHITECTURES = List.of("sm_80", "sm_89", "sm_90", "compute_90");
    private static final Pattern DECLARED = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?(\\w+)\\s*\\(");
    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '(\\w+)' for '(sm_\\d+)'");
    private static final Pattern PROPERTIES = Pattern.compile("Function properties for (\\w+)");
    private static final Pattern SPILLS = Pattern.compile("(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern REGISTERS = Pattern.compile("Used (\\d+) registers");

    private static String nvccMissing;
    private static Fatbin fatbin;
    private static String ptxasLog;

    @BeforeAll
    static void built() throws IOException {
        Path missing = BUILD.resolve("nvcc-missing");
        if (Files.exists(missing)) {
            nvccMissing = "skipped: kernels/build.sh found " + Files.readString(missing).strip() + ", so this build has no fatbin";
            System.out.println("KernelBuildTest " + nvccMissing);
            return;
        }
        try (InputStream in = KernelBuildTest.class.getResourceAsStream("/simil/kernels/simil.fatbin")) {
            assertNotNull(in, "no simil.fatbin on the class path, though kernels/build.sh had nvcc");
            fatbin = Fatbin.parse(in.readAllBytes());
        }
        ptxasLog = Files.readString(BUILD.resolve("ptxas.log"));
    }

    @BeforeEach
    void builtByNvcc() {
        assumeTrue(nvccMissing == null, nvccMissing);
    }

    /** The kernels kernels/*.cu declare ({@code extern "C" __global__ void name(}). */
    private static Set<String> declaredKernels() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("kernels"))) {
            for (Path cu : files.filter(f -> f.toString().endsWith(".cu")).toList()) {
                Matcher m = DECLARED.matcher(Files.readString(cu));
                while (m.find()) names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyKernelCompilesForEveryArchitecture() throws IOException {
        assertEquals(new TreeSet<>(ARCHITECTURES), new TreeSet<>(fatbin.architectures()), "the fatbin's images");
        assertEquals(ARCHITECTURES.size(), fatbin.images().size(), "one image per architecture: " + fatbin.architectures());
        Set<String> declared = declaredKernels();
        for (Fatbin.Image image : fatbin.images()) {
            Set<String> absent = new TreeSet<>(declared);
            absent.removeAll(image.kernels());
            assertEquals(Set.of(), absent, "kernels of kernels/*.cu missing from the " + image + " image");
        }
        System.out.println("simil.fatbin: " + declared.size() + " kernels in " + fatbin.architectures());
    }

    /** A function's spills and registers for one architecture, as ptxas -v reports them. */
    private record Report(String function, String arch, int spillStores, int spillLoads, int registers) {}

    private static List<Report> ptxasReports() {
        List<Report> reports = new ArrayList<>();
        String arch = null, function = null, entry = null;
        Map<String, int[]> spills = new LinkedHashMap<>();
        for (String line : ptxasLog.lines().toList()) {
            Matcher m;
            if ((m = ENTRY.matcher(line)).find()) {
                entry = m.group(1);
                arch = m.group(2);
            } else if ((m = PROPERTIES.matcher(line)).find()) {
                function = m.group(1);
            } else if ((m = SPILLS.matcher(line)).find() && function != null && arch != null) {
                spills.put(function + " " + arch, new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
            } else if ((m = REGISTERS.matcher(line)).find() && entry != null) {
                int[] s = spills.getOrDefault(entry + " " + arch, new int[] {-1, -1});
                reports.add(new Report(entry, arch, s[0], s[1], Integer.parseInt(m.group(1))));
                entry = null;
            }
        }
        return reports;
    }

    @Test
    void ptxasReportsNoSpills() throws IOException {
        List<Report> reports = ptxasReports();
        Set<String> declared = declaredKernels();
        for (String arch : List.of("sm_80", "sm_89", "sm_90")) {
            Set<String> reported = new TreeSet<>();
            for (Report r : reports) if (r.arch().equals(arch)) reported.add(r.function());
            assertEquals(declared, reported, "kernels ptxas reports for " + arch);
        }
        List<Report> spilling = reports.stream().filter(r -> r.spillStores() != 0 || r.spillLoads() != 0).toList();
        assertEquals(List.of(), spilling, "kernels that spill registers to local memory");
        reports.stream().filter(r -> r.arch().equals("sm_90")).max((x, y) -> Integer.compare(x.registers(), y.registers()))
                .ifPresent(r -> System.out.println("ptxas: " + declared.size() + " kernels, no spills; most registers on sm_90: "
                        + r.registers() + " (" + r.function() + ")"));
    }

    @Test
    void everyKernelTheJavaSideNamesIsInTheFatbin() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Kernel.class.getResource("Kernel.class").toURI()).getParent();
        List<String> loaded = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.matches("Cuda\\w*Ops\\.class") || name.equals("CudaBackend.class")) {
                    Class.forName(Kernel.class.getPackageName() + "." + name.substring(0, name.length() - 6), true, Kernel.class.getClassLoader());
                    loaded.add(name);
                }
            }
        }
        assertFalse(loaded.isEmpty(), "no Cuda*Ops classes in " + classes);
        Set<String> named = new LinkedHashSet<>();
        for (Kernel k : Kernel.all()) named.add(k.name());
        for (Fatbin.Image image : fatbin.images()) {
            Set<String> absent = new TreeSet<>(named);
            absent.removeAll(image.kernels());
            assertEquals(Set.of(), absent, "kernels the Java side launches that the " + image + " image lacks");
        }
        Set<String> unlaunched = new TreeSet<>(fatbin.images().get(0).kernels());
        unlaunched.removeAll(named);
        System.out.println("simil.fatbin: the " + named.size() + " kernels named in " + loaded.size() + " classes are all in it"
                + (unlaunched.isEmpty() ? "" : "; not named by any: " + unlaunched));
    }
}
