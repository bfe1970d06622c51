package simil.data;

import java.util.SplittableRandom;

/** Training pairs: half same-class, half different-class, drawn with replacement, a pure function of (seed, epoch). */
public final class BalancedPairSampler {
    private final Split split;
    private final ClassIndex classes;
    private final long seed;

    /** A sampler over {@code split}, which needs a class with two images and at least two classes. */
    public BalancedPairSampler(Split split, long seed) {
        this.split = split;
        this.classes = new ClassIndex(split);
        this.seed = seed;
    }

    /** {@code count} pairs for {@code epoch} in random order: {@code count / 2} same-class, the rest different, never an image with itself. */
    public PairList epoch(long epoch, int count) {
        SplittableRandom random = Seeds.random(seed, epoch);
        boolean[] same = new boolean[count];
        int[] order = new int[count];
        for (int k = 0; k < count; k++) order[k] = k;
        Seeds.shuffle(order, random);
        for (int k = 0; k < count / 2; k++) same[order[k]] = true;
        int[] first = new int[count];
        int[] second = new int[count];
        for (int k = 0; k < count; k++) {
            int[] pair = same[k] ? samePair(random, classes, split) : differentPair(random, split);
            first[k] = split.indices()[pair[0]];
            second[k] = split.indices()[pair[1]];
        }
        return new PairList(first, second, same);
    }

    /** Two distinct positions of one class: a uniformly drawn pairable image and a uniformly drawn classmate. */
    static int[] samePair(SplittableRandom random, ClassIndex classes, Split split) {
        int p = classes.pairable[random.nextInt(classes.pairable.length)];
        int[] mates = classes.positionsOfClass[split.labels()[p]];
        int q = mates[random.nextInt(mates.length - 1)];
        if (q == p) q = mates[mates.length - 1];
        return new int[] {p, q};
    }

    /** Two positions of different classes, each uniform over the split. */
    static int[] differentPair(SplittableRandom random, Split split) {
        int n = split.size();
        int p = random.nextInt(n);
        int q;
        do {
            q = random.nextInt(n);
        } while (split.labels()[q] == split.labels()[p]);
        return new int[] {p, q};
    }
}
