package simil.data;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/** Evaluation pairs as in the reference study: a fixed number of distinct pairs, half same-class, reproducible from a seed. */
public final class BalancedEvalPairs {
    /** The reference study's size: 25,000 same-class and 25,000 different-class pairs. */
    public static final int REFERENCE_COUNT = 50_000;

    private BalancedEvalPairs() {}

    /**
     * {@code count} pairs of {@code split} in random order, {@code count / 2} same-class and the rest different, no image
     * paired with itself and no two pairs made of the same two images (in either order).
     */
    public static PairList generate(Split split, int count, long seed) {
        ClassIndex classes = new ClassIndex(split);
        long n = split.size();
        long sameAvailable = sameAvailable(classes);
        long differentAvailable = n * (n - 1) / 2 - sameAvailable;
        int sameWanted = count / 2;
        // Rejection of duplicates stays fast while at most half of the available pairs are wanted.
        if (2L * sameWanted > sameAvailable || 2L * (count - sameWanted) > differentAvailable) {
            throw new IllegalArgumentException("split " + split.name() + " is too small for " + count + " distinct balanced pairs ("
                    + sameAvailable + " same-class and " + differentAvailable + " different-class pairs exist)");
        }
        SplittableRandom random = Seeds.random(seed, 0x5EA1L);
        int[] order = new int[count];
        for (int k = 0; k < count; k++) order[k] = k;
        Seeds.shuffle(order, random);
        boolean[] same = new boolean[count];
        for (int k = 0; k < sameWanted; k++) same[order[k]] = true;
        int[] first = new int[count];
        int[] second = new int[count];
        Set<Long> taken = new HashSet<>();
        for (int k = 0; k < count; k++) {
            int[] pair;
            do {
                pair = same[k] ? BalancedPairSampler.samePair(random, classes, split) : BalancedPairSampler.differentPair(random, split);
            } while (!taken.add(Math.min(pair[0], pair[1]) * n + Math.max(pair[0], pair[1])));
            first[k] = split.indices()[pair[0]];
            second[k] = split.indices()[pair[1]];
        }
        return new PairList(first, second, same);
    }

    /** The most pairs {@link #generate} can draw from {@code split}, capped at {@code wanted} (an even number). */
    public static int countAtMost(Split split, int wanted) {
        long n = split.size(), same = sameAvailable(new ClassIndex(split)), different = n * (n - 1) / 2 - same;
        long most = 2 * Math.min(same / 2, different / 2);
        return (int) Math.min(wanted / 2 * 2, most);
    }

    /** Unordered same-class pairs of distinct images. */
    private static long sameAvailable(ClassIndex classes) {
        long same = 0;
        for (int[] members : classes.positionsOfClass) same += (long) members.length * (members.length - 1) / 2;
        return same;
    }
}
