package simil.backend.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * One of our kernels in kernels/*.cu, by its extern "C" name. Every kernel the Java side launches is made through
 * {@link #named}, so the build's check that each is in the fatbin sees them all ({@link #all}).
 */
public record Kernel(String name) {
    private static final List<Kernel> ALL = new ArrayList<>();

    /** The kernel called {@code name} in kernels/*.cu. */
    public static Kernel named(String name) {
        Kernel k = new Kernel(name);
        synchronized (ALL) {
            if (!ALL.contains(k)) ALL.add(k);
        }
        return k;
    }

    /** Every kernel named so far (load the op classes first to see them all). */
    public static List<Kernel> all() {
        synchronized (ALL) {
            return List.copyOf(ALL);
        }
    }
}
