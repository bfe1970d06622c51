package simil.data;

import java.util.Arrays;

/** The positions of a split grouped by class, for drawing same-class and different-class partners. */
final class ClassIndex {
    final int[][] positionsOfClass;
    /** Positions whose class has at least one other member, i.e. that can start a same-class pair. */
    final int[] pairable;

    ClassIndex(Split split) {
        int[] counts = split.classCounts();
        positionsOfClass = new int[counts.length][];
        int[] filled = new int[counts.length];
        for (int c = 0; c < counts.length; c++) positionsOfClass[c] = new int[counts[c]];
        for (int p = 0; p < split.size(); p++) {
            int c = split.labels()[p];
            positionsOfClass[c][filled[c]++] = p;
        }
        pairable = Arrays.stream(positionsOfClass).filter(ps -> ps.length >= 2).flatMapToInt(Arrays::stream).sorted().toArray();
        long nonEmpty = Arrays.stream(counts).filter(n -> n > 0).count();
        if (pairable.length == 0) throw new IllegalArgumentException("split " + split.name() + " has no class with two images: no same-class pair exists");
        if (nonEmpty < 2) throw new IllegalArgumentException("split " + split.name() + " has a single class: no different-class pair exists");
    }
}
