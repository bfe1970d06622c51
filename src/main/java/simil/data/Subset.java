package simil.data;

/** Which part of the archive to load, for quick experiments: the first {@code classes} of wnids.txt, at most {@code perClass} training images each. */
public record Subset(int classes, int perClass) {
    /** Everything in the archive. */
    public static final Subset ALL = new Subset(Integer.MAX_VALUE, Integer.MAX_VALUE);

    public Subset {
        if (classes < 1 || perClass < 1) throw new IllegalArgumentException("subset sizes must be positive: " + classes + ", " + perClass);
    }

    /** True when nothing is left out. */
    public boolean isAll() {
        return classes == Integer.MAX_VALUE && perClass == Integer.MAX_VALUE;
    }
}
