package simil.backend.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import simil.backend.natives.NativeLibraries;

/**
 * The instruction set our native kernels run in. Every kernel library holds one copy of its kernels per
 * constant here, each with its own register blocking (native/simil_isa.h), and a CPU backend passes its
 * ISA's {@link #code} with every call. The best one this CPU runs is used unless {@code SIMIL_ISA} (or the
 * system property {@code simil.isa}) names another: {@code avx512}, {@code avx2} or {@code generic}.
 */
public enum Isa {
    /** Baseline x86-64 (SSE2): correct everywhere, 4-float vectors. */
    GENERIC(EnumSet.noneOf(Feature.class)),
    /** AVX2 + FMA: 16 ymm registers of 8 floats. */
    AVX2(EnumSet.of(Feature.AVX2, Feature.FMA)),
    /** AVX-512 (F, BW, VL, DQ): 32 zmm registers of 16 floats. */
    AVX512(EnumSet.of(Feature.AVX2, Feature.FMA, Feature.AVX512F, Feature.AVX512BW, Feature.AVX512VL, Feature.AVX512DQ));

    /** CPU features the kernels use, in the bit order of native/simil_cpu.c. */
    enum Feature { AVX2, FMA, AVX512F, AVX512BW, AVX512VL, AVX512DQ, AVX512VNNI }

    private static final Set<Feature> CPU = readCpuFeatures();

    private final Set<Feature> needs;

    Isa(Set<Feature> needs) {
        this.needs = needs;
    }

    /** The number native/simil_isa.h gives this ISA. */
    int code() {
        return ordinal();
    }

    /** The name SIMIL_ISA takes. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this CPU runs this ISA's kernels. */
    public boolean runsHere() {
        return CPU.containsAll(needs);
    }

    /** Every ISA this CPU runs, best last. */
    public static List<Isa> supported() {
        List<Isa> list = new ArrayList<>();
        for (Isa isa : values()) if (isa.runsHere()) list.add(isa);
        return list;
    }

    /** The best ISA this CPU runs. */
    public static Isa best() {
        List<Isa> list = supported();
        return list.get(list.size() - 1);
    }

    /**
     * The ISA named by {@code SIMIL_ISA} or {@code -Dsimil.isa}, else {@link #best()}. Naming one this CPU
     * lacks, or no ISA at all, is an error that says what this CPU runs.
     */
    public static Isa selected() {
        String named = System.getProperty("simil.isa", System.getenv("SIMIL_ISA"));
        if (named == null || named.isBlank()) return best();
        Isa isa;
        try {
            isa = valueOf(named.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SIMIL_ISA=" + named + " is not an instruction set (avx512, avx2, generic)");
        }
        if (!isa.runsHere()) {
            throw new IllegalArgumentException("SIMIL_ISA=" + named + " but this CPU lacks " + missing(isa)
                    + "; it runs " + String.join(", ", supported().stream().map(Isa::flag).toList()));
        }
        return isa;
    }

    /**
     * The copy of the int8 all-pairs kernel for this ISA, or null where there is none (baseline x86-64
     * scores pairs in fp32): the AVX-512 copy needs VNNI as well, else the AVX2 copy serves.
     */
    Isa int8PairsKernel() {
        if (this == AVX512 && CPU.contains(Feature.AVX512VNNI)) return AVX512;
        return this == GENERIC ? null : AVX2;
    }

    /** What the kernels run here, for logs: {@code avx512 (kernels; int8 pairs: avx512 vnni)}. */
    public String describe() {
        Isa pairs = int8PairsKernel();
        String int8 = pairs == null ? "fp32 (no int8 kernel)" : pairs == AVX512 ? "avx512 vnni" : "avx2 (vpmaddubsw)";
        return flag() + " kernels, int8 pairs: " + int8;
    }

    /** This CPU's model name as the kernel reports it, or "unknown CPU". */
    public static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    private static String missing(Isa isa) {
        EnumSet<Feature> lacking = EnumSet.copyOf(isa.needs);
        lacking.removeAll(CPU);
        return String.join(", ", lacking.stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static Set<Feature> readCpuFeatures() {
        NativeLibraries.load("simil_cpu");
        int bits = cpuFeatures();
        EnumSet<Feature> features = EnumSet.noneOf(Feature.class);
        for (Feature f : Feature.values()) if ((bits & (1 << f.ordinal())) != 0) features.add(f);
        return features;
    }

    private static native int cpuFeatures();
}
